/** The bridge's version, reported in health and to the runtime as clientInfo. Kept in step with package.json by a unit test. */
export const BRIDGE_VERSION = '0.1.0';
