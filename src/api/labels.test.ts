import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isEmptySelector,
  labelKeyErrors,
  labelSelectorFromObject,
  labelValueErrors,
  matchesLabels,
  parseLabelSelector,
  SelectorParseError,
  selectorFromSet,
  selectorToString,
  selectsNothing,
} from './labels.js';

const matches = (s: string, labels: Record<string, string>) => matchesLabels(parseLabelSelector(s), labels);

function throwsParse(s: string, message: string | RegExp): void {
  assert.throws(
    () => parseLabelSelector(s),
    (e: unknown) => {
      assert.ok(e instanceof SelectorParseError, `expected SelectorParseError for ${JSON.stringify(s)}, got ${String(e)}`);
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    },
  );
}

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    const sel = parseLabelSelector('a=1,b==2,c!=3,d in (x,y),e notin (z),f,!g,h>1,i<2');
    assert.deepEqual(
      sel.requirements.map((r) => [r.key, r.operator, [...r.values]]),
      [
        ['a', '=', ['1']],
        ['b', '==', ['2']],
        ['c', '!=', ['3']],
        ['d', 'in', ['x', 'y']],
        ['e', 'notin', ['z']],
        ['f', 'exists', []],
        ['g', '!', []],
        ['h', 'gt', ['1']],
        ['i', 'lt', ['2']],
      ],
    );
  });

  it('tolerates whitespace and sorts requirements by key and values', () => {
    const sel = parseLabelSelector('  tier  notin ( db , cache ) ,  app = web ');
    assert.equal(selectorToString(sel), 'app=web,tier notin (cache,db)');
  });

  it('accepts the empty string as select-everything', () => {
    const sel = parseLabelSelector('');
    assert.ok(isEmptySelector(sel));
    assert.ok(matchesLabels(sel, {}));
    assert.ok(matchesLabels(sel, undefined));
    assert.ok(isEmptySelector(parseLabelSelector('   ')));
  });

  it('accepts empty values', () => {
    assert.deepEqual(parseLabelSelector('a=').requirements[0]!.values, ['']);
    assert.deepEqual(parseLabelSelector('a in ()').requirements[0]!.values, ['']);
    assert.deepEqual(parseLabelSelector('a in (,x)').requirements[0]!.values, ['', 'x']);
    assert.deepEqual(parseLabelSelector('a in (x,)').requirements[0]!.values, ['', 'x']);
    assert.deepEqual(parseLabelSelector('a in (x,,y)').requirements[0]!.values, ['', 'x', 'y']);
  });

  it('treats in/notin as plain words in key and value positions', () => {
    assert.ok(matches('in=notin', { in: 'notin' }));
    assert.ok(matches('x in (in,notin)', { x: 'in' }));
  });

  it('accepts prefixed keys and upstream-style values', () => {
    assert.ok(matches('app.kubernetes.io/name=my_app-1.2', { 'app.kubernetes.io/name': 'my_app-1.2' }));
  });

  it('reports syntax errors with upstream wording', () => {
    throwsParse('a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    throwsParse('a in x', "unable to parse requirement: found 'x' expected: '('");
    throwsParse('a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'");
    throwsParse('a=b c', "found 'c', expected: ',' or 'end of string'");
    throwsParse('a=b,', "found '', expected: identifier after ','");
    throwsParse(',a', "found ',', expected: !, identifier, or 'end of string'");
    throwsParse('a=(b)', "unable to parse requirement: found '(', expected: identifier");
    throwsParse('!=a', "found '!=', expected: !, identifier, or 'end of string'");
    throwsParse('a=b,=c', "found '=', expected: identifier after ','");
    throwsParse('a=%', /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "%"/);
    throwsParse('a>=1', "unable to parse requirement: found '=', expected: identifier");
  });

  it('validates keys and values', () => {
    throwsParse('-a=b', /^unable to parse requirement: Invalid value: "-a": name part must consist of alphanumeric characters/);
    throwsParse(`${'k'.repeat(64)}=v`, /name part must be no more than 63 characters/);
    throwsParse('Example.com/a=b', /prefix part a lowercase RFC 1123 subdomain/);
    throwsParse('a/b/c', /a qualified name must consist of .* with an optional DNS subdomain prefix and '\/'/);
    throwsParse(`a=${'v'.repeat(64)}`, /values\[0\]\[a\]: Invalid value: "v+": must be no more than 63 characters/);
    throwsParse('a=-b', /values\[0\]\[a\]: Invalid value: "-b": a valid label must be an empty string/);
    throwsParse('a>x', /for 'Gt', 'Lt' operators, the value must be an integer/);
    assert.deepEqual(labelKeyErrors('example.com/app'), []);
    assert.deepEqual(labelValueErrors(''), []);
    assert.equal(labelKeyErrors('/a')[0], 'prefix part must be non-empty');
    assert.equal(labelKeyErrors('a/')[0], 'name part must be non-empty');
  });

  it('round-trips through selectorToString', () => {
    for (const s of ['a=1', 'a==1', 'a!=1', 'a in (x,y)', 'a notin (x)', 'a', '!a', 'a>1', 'a<2', 'a=1,b in (c,d),!e']) {
      const sel = parseLabelSelector(s);
      assert.equal(selectorToString(parseLabelSelector(selectorToString(sel))), selectorToString(sel), s);
    }
    assert.equal(selectorToString(parseLabelSelector('a in (y,x,y)')), 'a in (x,y)');
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  it('matches equality and inequality', () => {
    assert.ok(matches('app=web', labels));
    assert.ok(matches('app==web', labels));
    assert.ok(!matches('app=db', labels));
    assert.ok(matches('app!=db', labels));
    assert.ok(!matches('app!=web', labels));
    assert.ok(matches('missing!=x', labels), '!= matches a missing label');
    assert.ok(!matches('missing=', labels), '= "" needs the label present');
  });
  it('matches set operators', () => {
    assert.ok(matches('tier in (front,back)', labels));
    assert.ok(!matches('tier in (back)', labels));
    assert.ok(matches('tier notin (back)', labels));
    assert.ok(!matches('tier notin (front)', labels));
    assert.ok(matches('missing notin (x)', labels));
    assert.ok(!matches('missing in (x)', labels));
  });
  it('matches existence', () => {
    assert.ok(matches('app', labels));
    assert.ok(!matches('!app', labels));
    assert.ok(matches('!missing', labels));
    assert.ok(!matches('missing', labels));
  });
  it('compares integers with gt/lt', () => {
    assert.ok(matches('n>4', labels));
    assert.ok(!matches('n>5', labels));
    assert.ok(matches('n<10', labels), 'numeric, not lexical, comparison');
    assert.ok(!matches('app>1', labels), 'non-integer label value never matches');
    assert.ok(!matches('missing<1', labels));
    throwsParse('n>-1', /a valid label must be an empty string/);
  });
  it('requires every requirement', () => {
    assert.ok(matches('app=web,tier=front', labels));
    assert.ok(!matches('app=web,tier=back', labels));
  });
});

describe('labelSelectorFromObject', () => {
  it('treats null as select-nothing and {} as select-everything', () => {
    for (const nil of [null, undefined]) {
      const sel = labelSelectorFromObject(nil);
      assert.ok(selectsNothing(sel));
      assert.ok(!isEmptySelector(sel));
      assert.ok(!matchesLabels(sel, {}));
      assert.equal(selectorToString(sel), '');
    }
    const all = labelSelectorFromObject({});
    assert.ok(isEmptySelector(all));
    assert.ok(matchesLabels(all, { any: 'thing' }));
    assert.ok(isEmptySelector(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] })));
  });

  it('combines matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(selectorToString(sel), 'app=web,env notin (prod),!legacy,team,tier in (edge,front)');
    assert.ok(matchesLabels(sel, { app: 'web', tier: 'edge', team: 'a' }));
    assert.ok(!matchesLabels(sel, { app: 'web', tier: 'edge', team: 'a', legacy: 'y' }));
    assert.ok(!matchesLabels(sel, { app: 'web', tier: 'edge', team: 'a', env: 'prod' }));
  });

  it('rejects bad operators and values', () => {
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
      (e: unknown) => e instanceof SelectorParseError && e.message === '"Gt" is not a valid label selector operator',
    );
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      (e: unknown) =>
        e instanceof SelectorParseError && e.message === `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`,
    );
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
      /values set must be empty for exists and does not exist/,
    );
    assert.throws(() => labelSelectorFromObject({ matchLabels: { 'bad key': 'v' } }), SelectorParseError);
  });

  it('builds selectors from label sets', () => {
    const sel = selectorFromSet({ b: '2', a: '1' });
    assert.equal(selectorToString(sel), 'a=1,b=2');
    assert.ok(isEmptySelector(selectorFromSet({})));
    assert.ok(matchesLabels(selectorFromSet({ 'odd key': 'x y' }), { 'odd key': 'x y' }), 'stored sets are not re-validated');
  });
});
