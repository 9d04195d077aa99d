// Declarations of what scripts/openapi-subset.mjs exports, for the tests that import it.
export declare const OPENAPI_PACKAGE: string;
export declare function openapiSource(name?: 'api.github.com.json' | 'api.github.com.deref.json'): string;
