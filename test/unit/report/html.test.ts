import { expect } from 'chai';
import { Html, html, joinHtml, number, raw } from '../../../src/report/html.ts';

const HOSTILE = `"><script>alert('x')</script> & more`;
const ESCAPED = '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more';

describe('the pages’ markup (src/report/html.ts): escaped by default, markup only where the code says so', () => {
  it('escapes every interpolated text for content and attribute values: & < > " and \' become entities', () => {
    expect(html`<td title="${HOSTILE}">${HOSTILE}</td>`.text).to.equal(`<td title="${ESCAPED}">${ESCAPED}</td>`);
  });

  it('keeps the template’s own markup, numbers and markup made by html or raw as they are', () => {
    const cell = html`<code>${'a<b'}</code>`;
    expect(html`<tr>${cell}<td>${1234.5}</td>${raw('<br>')}</tr>`.text).to.equal('<tr><code>a&lt;b</code><td>1234.5</td><br></tr>');
  });

  it('writes a list of values one after another, each escaped unless it is markup', () => {
    expect(html`<ul>${['<i>', html`<li>${'&'}</li>`, 3]}</ul>`.text).to.equal('<ul>&lt;i&gt;<li>&amp;</li>3</ul>');
  });

  it('takes a string for text even when it holds markup: only html or raw make markup', () => {
    expect(html`${'<b>bold</b>'}`.text).to.equal('&lt;b&gt;bold&lt;/b&gt;');
    expect(raw('<b>bold</b>').text).to.equal('<b>bold</b>');
  });

  it('joins values with a separator, escaping the values and the separator alike', () => {
    expect(joinHtml(['a&b', html`<br>`], ' <> ').text).to.equal('a&amp;b &lt;&gt; <br>');
    expect(joinHtml([], '\n').text).to.equal('');
  });

  it('joins a page’s pieces to its text (Html is its markup as a string)', () => {
    expect([html`<p>`, raw('x'), html`</p>`].join('')).to.equal('<p>x</p>');
    expect(new Html('<p>').toString()).to.equal('<p>');
  });

  it('shows counts with thousands separators', () => {
    expect(number(1_234_567)).to.equal('1,234,567');
  });
});
