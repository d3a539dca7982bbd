/** A refusal of synth: a message for a person, naming the file or field, the value and why. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}
