/** Seeded PRNG (mulberry32) so that fault runs repeat exactly for a given seed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export function randomId(random: () => number, length: number, alphabet = ALPHABET): string {
	let id = '';
	for (let i = 0; i < length; i++) id += alphabet[Math.floor(random() * alphabet.length)];
	return id;
}
