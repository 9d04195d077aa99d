// Writes the published JSON Schema of the environment file from packages/environment/src/schema.ts.
import { writeFileSync } from 'node:fs';
import { environmentFileSchema } from '@cutover/environment';

writeFileSync('schema/cutover.schema.json', `${JSON.stringify(environmentFileSchema(), null, 2)}\n`);
console.log('wrote schema/cutover.schema.json');
