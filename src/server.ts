#!/usr/bin/env node
import { holdYoungGenerations } from './operability/young-generation.js';

// Before the rest of the server is loaded: a static import of cli.js would
// load its whole module graph (and grow the young generation doing it)
// before any line here ran.
holdYoungGenerations();
await import('./cli.js');
