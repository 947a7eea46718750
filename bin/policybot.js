#!/usr/bin/env node
// The installed `policybot` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const main = join(dirname(fileURLToPath(import.meta.url)), '../src/cli/main.ts');
process.argv[1] = main;
await import(main);
