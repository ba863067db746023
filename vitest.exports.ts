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
