import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["mpay-kit-source"] },
  ssr: { resolve: { conditions: ["mpay-kit-source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
