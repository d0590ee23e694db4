import { describe, expect, it } from 'vitest';
import { isAllowedExternal } from '../../../electron/external-links';

describe('only Billit\'s and Venice\'s sites open in the system browser', () => {
  it.each([
    'https://www.billit.be/',
    'https://my.billit.be/Account/Logon?client_id=c&redirect_uri=billit-venice-link%3A%2F%2Foauth%2Fcallback&state=s',
    'https://my.sandbox.billit.be/Account/Logon?client_id=c',
    'https://billit.eu/de-be/hilfeartikel/buchhaltungssoftware/venice-cloud/2-verknuepfung-erstellen',
    'https://www.venice.be/',
    'https://ponte.venice.be/WebConnect/Help/RequestUrl',
    'https://venice.unit4.com/WebConnect/Help/Crud',
  ])('allows %s', (url) => {
    expect(isAllowedExternal(url)).toBe(true);
  });

  it.each([
    'http://www.billit.be/',
    'https://billit.be.example.com/',
    'https://evilbillit.be/',
    'https://www.billit.be:8443/',
    'https://user:pass@my.billit.be/',
    'https://example.com/?https://www.billit.be/',
    'javascript:alert(1)',
    'file:///C:/Windows/System32/calc.exe',
    'data:text/html,<script>1</script>',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'https://xn--billt-kva.be/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternal(url)).toBe(false);
  });

  it('allows the demo office\'s own authorisation page on loopback, and nothing else there', () => {
    const policy = { authorisationPages: ['http://127.0.0.1:41234/Account/Logon'] };
    expect(isAllowedExternal('http://127.0.0.1:41234/Account/Logon?client_id=demo&state=s', policy)).toBe(true);
    expect(isAllowedExternal('http://127.0.0.1:41234/v1/files/1', policy)).toBe(false);
    expect(isAllowedExternal('http://127.0.0.1:41235/Account/Logon', policy)).toBe(false);
    expect(isAllowedExternal('http://127.0.0.1:41234/Account/Logon', {})).toBe(false);
  });
});
