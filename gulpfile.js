// Copies what tsc does not: node/credential icons and codex files, next to the compiled JS,
// because n8n resolves `file:x.svg` icons relative to the .node.js / .credentials.js file.
const { src, dest, task } = require('gulp');

task('build:assets', () =>
	src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist')),
);
