/**
 * First step of a package's tsc build: removes its dist/, so a module that left src (moved to
 * another package, renamed) does not linger in dist/ and ship in the next tarball; tsc writes
 * files but never deletes them.
 */
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
