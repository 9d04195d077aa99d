// The declaration of scripts/write-validator.ts's output: the environment file's validator.
import type { SchemaValidator } from '@cutover/config';

export declare const validate: SchemaValidator;
export default validate;
