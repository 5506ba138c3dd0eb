/** `{{1}}`, `{{2}}`... in a template's text: how many parameters a send must fill. */
const VARIABLE = /\{\{\s*(\d+)\s*\}\}/g;

/** The variable numbers in order of appearance, each once. */
export function variableNumbers(text: string): number[] {
	const numbers: number[] = [];
	for (const match of text.matchAll(VARIABLE)) {
		const number = Number(match[1]);
		if (!numbers.includes(number)) numbers.push(number);
	}
	return numbers;
}

export function countVariables(text: string): number {
	return variableNumbers(text).length;
}
