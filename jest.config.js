/** Fast tests: nodes run through n8n-core's real engine against the sandbox over loopback HTTP. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/setup-env.ts'],
	// A safety net for hung tests, not a speed target: the 2,000-send fault runs take ~15 s alone and
	// several times that on a machine busy with other work.
	testTimeout: 300000,
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
