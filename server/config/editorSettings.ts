// Settings from the editor's chartcoder.* section as the language server receives it (workspace/didChangeConfiguration),
// read through the same table the extension uses to start the server (EDITOR_SETTINGS → CHARTCODER_* variables), so
// a changed setting means what it meant at start. Tokens stay as the server was started with them (SecretStorage).
import { EDITOR_SETTINGS, serverEnvironment, type ChartcoderSettings, type SettingProblem } from '../protocol';
import { loadSettingsTolerantly, type LoadOptions } from './load';

/** The value at a dotted key of a nested section ("elasticsearch.url"), as VS Code sends it. */
const readSection =
  (section: unknown) =>
  (key: string): unknown =>
    key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), section);

export function settingsFromEditor(
  section: unknown,
  started: NodeJS.ProcessEnv,
  options: Omit<LoadOptions, 'env'> = {},
): { settings: ChartcoderSettings; problems: SettingProblem[] } {
  const base = Object.fromEntries(Object.entries(started).filter(([name]) => !EDITOR_SETTINGS.some((s) => s.env === name)));
  const { env, problems: typeProblems } = serverEnvironment(readSection(section), {});
  const loaded = loadSettingsTolerantly({ ...options, env: { ...base, ...env } });
  return {
    settings: loaded.settings,
    problems: [
      ...typeProblems.map((p) => ({ setting: p.slice(0, p.indexOf(':')), message: `${p.slice(p.indexOf(':') + 2)}: it is ignored until it is fixed` })),
      ...loaded.problems,
    ],
  };
}
