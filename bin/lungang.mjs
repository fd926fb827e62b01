#!/usr/bin/env node
// The `lungang` command: loads the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
