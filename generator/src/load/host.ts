/**
 * File access for the loader. The generator reads through a {@link FileHost} so that it stays
 * pure (no writes, no network) and so that tests can run it over in-memory files.
 */
import { readFileSync } from "node:fs";

export interface FileHost {
  /**
   * The text of the file at an absolute path, or `undefined` when there is no such file.
   * @throws Error for other failures (permissions, a folder); the message is shown to the user.
   */
  readFile(path: string): string | undefined;
}

/** Reads UTF-8 files from disk. */
export const nodeFileHost: FileHost = {
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      if (code === "EISDIR") throw new Error("is a folder, not a file");
      throw new Error((e as Error).message);
    }
  },
};

/** Files kept in memory, keyed by absolute path (for tests and for tools that hold files themselves). */
export function memoryHost(files: Readonly<Record<string, string>>): FileHost {
  const map = new Map(Object.entries(files));
  return { readFile: (path) => map.get(path) };
}
