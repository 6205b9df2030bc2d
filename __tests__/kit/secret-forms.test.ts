import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { Inputs } from '../../src/kit/inputs.js';
import { base64Forms, secretForms } from '../../src/kit/secret-forms.js';
import {
  clearSecretsForTest,
  redact,
  registerCredentials,
  registerSecret,
  registerUrlSecrets,
  setMaskHook
} from '../../src/kit/secrets.js';

afterEach(() => {
  clearSecretsForTest();
  setMaskHook(undefined);
});

/** Passwords with every character class an encoder treats differently. */
const SECRETS = [
  `p@ss/w0rd!*()'~ x+y%z:é"\\`,
  'Sp4ces & plus+signs = fine?#',
  "unreserved-._~!*'()-only",
  'aB3$kL9#mN2&qR7^'
];

/** What Python prints for `secret` in each way it can: the real urllib and the machine's SQLAlchemy. */
function pythonForms(secret: string): Record<string, string> {
  const script = `
import json, sys, base64
from urllib.parse import quote, quote_plus, urlencode
from sqlalchemy.engine import make_url
from sqlalchemy import create_engine
s = sys.argv[1]
url = make_url('postgresql://signup:' + quote(s, safe='') + '@db.example.org:5432/app')
engine = create_engine(url)
out = {
  'quote': quote(s), 'quote safe=""': quote(s, safe=''), 'quote_plus': quote_plus(s),
  'quote lower-case hex': ''.join(c.lower() if i > 0 and quote(s)[i-1] == '%' or i > 1 and quote(s)[i-2] == '%' else c for i, c in enumerate(quote(s))),
  'urlencode': urlencode({'password': s}),
  'str(url)': str(url), 'repr(url)': repr(url), 'str(engine.url)': str(engine.url), 'repr(engine)': repr(engine),
  'render_as_string(hide_password=False)': url.render_as_string(hide_password=False),
  'basic auth': 'Authorization: Basic ' + base64.b64encode(('signup:' + s).encode()).decode(),
  'docker auth.json': json.dumps({'auths': {'ghcr.io': {'auth': base64.b64encode(('someone-else:' + s).encode()).decode()}}}),
  'json body': json.dumps({'message': 'bad value', 'value': s}),
}
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, secret], { encoding: 'utf8' })) as Record<
    string,
    string
  >;
}

function jsForms(secret: string): Record<string, string> {
  return {
    encodeURIComponent: encodeURIComponent(secret),
    'encodeURIComponent lower-case hex': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, m =>
      m.toLowerCase()
    ),
    encodeURI: encodeURI(secret),
    URLSearchParams: new URLSearchParams({ password: secret }).toString(),
    'WHATWG URL userinfo': new URL(`postgresql://signup:${encodeURIComponent(secret)}@h/db`).toString(),
    'mixed encoding': [...secret]
      .map((c, i) => (i % 2 ? encodeURIComponent(c).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()) : c))
      .join(''),
    'fully encoded': [...Buffer.from(secret)].map(b => `%${b.toString(16)}`).join(''),
    'JSON.stringify': JSON.stringify({ value: secret })
  };
}

describe.each(SECRETS)('every printed form of %p is masked', secret => {
  const printed = { ...pythonForms(secret), ...jsForms(secret) };
  it.each(Object.entries(printed))('%s', (_how, text) => {
    // The text really holds the secret in a form other than plain (else the case tests nothing).
    registerUrlSecrets(`postgresql://signup:${encodeURIComponent(secret)}@db.example.org:5432/app`);
    const masked = redact(text);
    expect(masked).toContain('***');
    for (const form of secretForms(secret)) expect(masked).not.toContain(form);
    expect(masked).not.toContain(secret);
  });
});

describe('secretForms', () => {
  it.each([
    ['a b', ['a b', 'a%20b', 'a+b']],
    ["!*'()", ["!*'()", '%21%2A%27%28%29', '%21%2a%27%28%29']],
    ['p:@/q', ['p:@/q', 'p%3A%40%2Fq', 'p%3a%40%2fq', 'p%3A%40/q']],
    ['quo"te\\', ['quo"te\\', 'quo\\"te\\\\']]
  ])('%p includes %p', (value, expected) => {
    expect(secretForms(value)).toEqual(expect.arrayContaining(expected));
  });

  it('lists no empty or duplicate form, the value first', () => {
    const forms = secretForms('abc-def_123');
    expect(forms[0]).toBe('abc-def_123');
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms).not.toContain('');
  });

  it.each([0, 1, 2, 5])('base64 fragments find the secret after %d leading bytes of anything', lead => {
    const secret = 'correct-horse-battery';
    const blob = Buffer.concat([
      Buffer.alloc(lead, 0x41),
      Buffer.from(secret),
      Buffer.from(':tail')
    ]).toString('base64');
    expect(base64Forms(secret).some(f => blob.includes(f))).toBe(true);
  });
});

describe('registration', () => {
  it('forwards every literal form to the runner hook, including ones registered before the hook', () => {
    registerSecret('early-secret/1');
    const masked: string[] = [];
    setMaskHook(s => masked.push(s));
    registerCredentials('robot', 'late-secret!');
    expect(masked).toEqual(
      expect.arrayContaining([
        'early-secret/1',
        'early-secret%2F1',
        'early-secret%2f1',
        'late-secret!',
        'late-secret%21',
        Buffer.from('robot:late-secret!').toString('base64')
      ])
    );
  });

  it('masks overlapping secrets as one span, leaving no tail', () => {
    registerSecret('abcdefgh');
    registerSecret('efghijkl');
    expect(redact('x abcdefghijkl y')).toBe('x *** y');
  });
});

describe('short secrets', () => {
  const read = (name: string, value: string) => new Inputs(n => (n === name ? value : undefined));

  it.each([
    ['passphrase', 'nightly', "Input 'passphrase' is a secret whose value is 7 characters long"],
    ['token', '  short  ', "Input 'token' is a secret whose value is 5 characters long"]
  ])('%s %p is refused with one line naming the input', (name, value, message) => {
    expect(() => read(name, value).secret(name)).toThrow(message);
  });

  it('a database URL with a short password is refused naming the input, without the password', () => {
    const inputs = read('database-url', 'postgresql://backup:nightly@db.example.org/app');
    let message = '';
    try {
      inputs.url('database-url', { protocols: ['postgresql:'], secretPassword: true });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Input 'database-url' is a secret whose password is 7 characters long: /);
    expect(message).not.toContain('nightly');
  });

  it('a secret of 8 characters is accepted and masked', () => {
    expect(read('passphrase', 'nightly1').secret('passphrase')).toBe('nightly1');
    expect(redact('key nightly1/x')).toBe('key ***/x');
  });
});
