// Types of version.mjs for the TypeScript tests that read it.
export declare const ROOT: string;
export declare function projectVersion(root?: string): string;
export declare const VERSION_COPIES: { file: string; pattern: RegExp; render(v: string, match: string): string }[];
export declare function readCopies(root?: string): { file: string; version: string | undefined }[];
export declare const SEMVER: RegExp;
