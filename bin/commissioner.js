#!/usr/bin/env node
// The `commissioner` command. It registers tsx, a dependency of this package, and loads the
// TypeScript command line from src/cli, so a clone works after `npm install` with no build step.
// The imports and the tsconfig path resolve from this file's folder, so the command behaves the
// same from any working folder.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
