/**
 * Writes docs/runbook.md from the runbook sections: `npm run docs`.
 * A test fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RUNBOOK_DOCS_PATH, renderRunbookDocs } from './docs';

const target = fileURLToPath(new URL(`../${RUNBOOK_DOCS_PATH}`, import.meta.url));
writeFileSync(target, renderRunbookDocs());
process.stdout.write(`Wrote ${RUNBOOK_DOCS_PATH}\n`);
