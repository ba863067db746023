import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

/**
 * Checks that every export of a package's `src/index.ts` has a doc comment (TypeScript's own
 * reading of JSDoc, following re-exports to the declaration).
 */
export function testExportsAreDocumented(packageDir: string): void {
  it('has a doc comment on every export', () => {
    const entry = join(packageDir, 'src', 'index.ts');
    const program = ts.createProgram([entry], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ['@dendrite/source'],
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(
      checker.getSymbolAtLocation(program.getSourceFile(entry)!)!,
    );
    const undocumented = exports
      .filter((symbol) => {
        const target =
          symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '';
      })
      .map((symbol) => symbol.name);
    expect(exports.length).toBeGreaterThan(0);
    expect(undocumented).toEqual([]);
  });
}

/**
 * Checks that every field of the named interfaces (the records the hot paths run over) has a doc
 * comment: `records` maps a source file, relative to the package, to its interfaces' names.
 */
export function testFieldsAreDocumented(
  packageDir: string,
  records: Record<string, readonly string[]>,
): void {
  it.each(Object.entries(records))('documents every field of the records in %s', (file, names) => {
    const path = join(packageDir, file);
    const text = readFileSync(path, 'utf8');
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    const found = new Map<string, string[]>();
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node) || !names.includes(node.name.text)) return;
      const bare = node.members.filter((member) => ts.getJSDocCommentsAndTags(member).length === 0);
      found.set(
        node.name.text,
        bare.map((member) => member.name?.getText(source) ?? '?'),
      );
    });
    expect([...found.keys()].sort()).toEqual([...names].sort());
    for (const [name, bare] of found)
      expect(bare, `${name}'s fields without a comment`).toEqual([]);
  });
}
