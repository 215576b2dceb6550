/** Small named values the platform keeps (none is a scope's: these are the server's own). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}
