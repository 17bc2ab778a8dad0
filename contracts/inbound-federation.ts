/**
 * InboundFederation (`InboundFederation_ExternalProvider`).
 *
 * `userAttributesToMap` is a map of string to string; `{}` keeps every attribute, an attribute
 * left out is dropped (not a contract break, so not reported).
 *
 * Facts: docs/cognito-triggers-and-logs.md.
 */
import * as z from 'zod';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { stringMapSchema } from './string-map';

/** The InboundFederation response as Cognito reads it. */
export const inboundFederationResponseSchema = z.looseObject({
  userAttributesToMap: stringMapSchema.nullish(),
});

/** Checks an InboundFederation response. */
export const checkInboundFederation: ResponseCheck = ({ response }) =>
  schemaViolations(inboundFederationResponseSchema, response, 'response');
