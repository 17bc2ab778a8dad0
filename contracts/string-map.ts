/**
 * The map-of-strings shape Cognito uses for challenge parameters, user attributes and federation
 * attribute maps: a JSON object whose every value is a string.
 */
import * as z from 'zod';
import { expecting } from './schema-violations';

/** `expected` text for a map of string to string. */
export const STRING_MAP = 'map of string to string';

/** A map of string to string; a non-string value is reported at its own key. */
export const stringMapSchema = z.record(z.string(), z.string(), expecting(STRING_MAP));
