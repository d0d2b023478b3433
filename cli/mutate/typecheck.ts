/**
 * Typechecking a mutant with the TypeScript compiler API, under the project's tsconfig.json: a
 * program of the files to mutate (and what they import) is built once; a mutant's program reuses
 * every unchanged source file of it and only the mutated file's diagnostics are asked for. A mutation inside a function body cannot change what
 * other files see unless it changes an inferred type, which that file's own errors show first.
 */
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

export class MutantTypechecker {
  private readonly options: ts.CompilerOptions;
  private readonly rootNames: readonly string[];
  private readonly host: ts.CompilerHost;
  private readonly base: ts.Program;
  private override: { file: string; text: string } | null = null;

  constructor(
    readonly root: string,
    files: readonly string[],
  ) {
    const configPath = resolve(root, 'tsconfig.json');
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
    this.options = { ...parsed.options, noEmit: true };
    this.rootNames = files.map((f) => resolve(root, f));
    const host = ts.createCompilerHost(this.options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const o = this.override;
      if (o && resolve(fileName) === o.file) return ts.createSourceFile(fileName, o.text, languageVersion, true);
      return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    };
    this.host = host;
    this.base = ts.createProgram(this.rootNames, this.options, this.host);
  }

  /** The mutated file's type errors (empty: the mutant is type-correct). */
  errors(file: string, text: string): string[] {
    const abs = resolve(this.root, file);
    this.override = { file: abs, text };
    try {
      const program = ts.createProgram([abs], this.options, this.host, this.base);
      const sf = program.getSourceFile(abs);
      if (!sf) return [`${file}: not part of the program`];
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    } finally {
      this.override = null;
    }
  }
}
