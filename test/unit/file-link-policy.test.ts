import assert from 'node:assert/strict';
import { decideFileLink, isInside, type FileLinkContext } from '../../extension/chat/file-link-policy';

describe('file links from the chat: only files inside the workspace open', () => {
  const posix: FileLinkContext = { folders: ['/work/project'], platform: 'linux' };
  const win: FileLinkContext = { folders: ['C:\\work\\project'], platform: 'win32' };
  const opened = (link: string, ctx: FileLinkContext = posix) => {
    const d = decideFileLink(link, ctx);
    return d.ok ? d.path : null;
  };

  it('opens workspace files, relative or absolute, as paths or file: URIs', () => {
    assert.equal(opened('src/a.ts'), '/work/project/src/a.ts');
    assert.equal(opened('./src/../README.md'), '/work/project/README.md');
    assert.equal(opened('/work/project/src/a.ts'), '/work/project/src/a.ts');
    assert.equal(opened('file:///work/project/src/a.ts'), '/work/project/src/a.ts');
    assert.equal(opened('file://localhost/work/project/a%20b.ts'), '/work/project/a b.ts');
    assert.equal(opened('src\\a.ts', win), 'C:\\work\\project\\src\\a.ts');
    assert.equal(opened('c:\\Work\\Project\\a.ts', win), 'c:\\Work\\Project\\a.ts', 'Windows paths compare without case');
    assert.equal(opened('/C:/work/project/a.ts', win), 'C:\\work\\project\\a.ts', 'the webview\'s scheme-less spelling');
  });

  it('never opens network shares, remote hosts, device paths or other schemes', () => {
    for (const link of ['\\\\evil.example\\share\\readme.md', '//evil.example/share', '\\/evil.example/share', 'file://evil.example/share/readme.md', '\\\\?\\UNC\\evil\\x', '\\\\.\\pipe\\x', 'https://evil.example/', 'vscode://x', 'command:workbench.action.terminal.new', 'javascript:alert(1)']) {
      assert.equal(opened(link), null, link);
      assert.equal(opened(link, win), null, `${link} (win32)`);
    }
    assert.match((decideFileLink('\\\\evil.example\\share', win) as { reason: string }).reason, /network/);
  });

  it('never opens paths outside the workspace', () => {
    for (const link of ['/etc/passwd', 'file:///etc/passwd', '../../.ssh/id_rsa', '/work/project-other/x', '/work/project/../secret', 'file:///work/project/%2e%2e/secret']) assert.equal(opened(link), null, link);
    assert.equal(opened('C:\\Windows\\win.ini', win), null);
    assert.equal(opened('D:relative', win), null, 'drive-relative');
    assert.match((decideFileLink('/etc/passwd', posix) as { reason: string }).reason, /outside the workspace/);
  });

  it('refuses empty, over-long, malformed and hidden-character links, and everything without a workspace', () => {
    for (const link of ['', '   ', 'a'.repeat(5000), 'file://%zz', 'src/\u202Egnp.js', 'a\0b']) assert.equal(opened(link), null, JSON.stringify(link.slice(0, 20)));
    assert.equal(opened('src/a.ts', { folders: [], platform: 'linux' }), null);
    assert.match((decideFileLink('x\u202Ey', posix) as { reason: string }).reason, /x⟨U\+202E⟩y/, 'the refusal shows the hidden character');
  });

  it('any of several workspace folders counts', () => {
    assert.equal(opened('/b/x.ts', { folders: ['/a', '/b'], platform: 'linux' }), '/b/x.ts');
    assert.equal(isInside('/a', '/a', 'linux'), true);
    assert.equal(isInside('/ab', '/a', 'linux'), false);
  });
});
