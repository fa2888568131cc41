#!/usr/bin/env node
/** The `paybridge` bin: runs the command line on the process's arguments and streams (src/main.ts). */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
