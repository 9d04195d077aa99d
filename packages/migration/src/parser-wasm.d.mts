/** A file URL when run from source; a path string once bundled by ncc. */
export declare const libpgQueryWasm: URL | string;
