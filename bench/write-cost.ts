/**
 * `npm run docs:cost`: writes docs/cost.md from bench/figures.json. Refresh the figures first with
 * `npm run bench -- --json bench/figures.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchFigures, toCostPage } from './cost';

const root = fileURLToPath(new URL('../', import.meta.url));
const figures = JSON.parse(readFileSync(`${root}bench/figures.json`, 'utf8')) as BenchFigures;
writeFileSync(`${root}docs/cost.md`, toCostPage(figures));
