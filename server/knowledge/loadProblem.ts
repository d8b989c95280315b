// A row a loader could not use: reported with file and line, then skipped — never dropped silently.
export interface LoadProblem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface Loaded<T> {
  readonly items: T[];
  readonly problems: LoadProblem[];
}
