/*
 * Broadsheet embed loader. A partner page includes
 *
 *   <blockquote class="broadsheet-embed" data-article="SLUG"><a href="ARTICLE URL">Headline</a></blockquote>
 *   <script async src="https://BROADSHEET HOST/embed.js"></script>
 *
 * and each such blockquote becomes a sandboxed iframe of the article's embed page. Without
 * scripts, the blockquote's link still works. Optional: data-theme="dark", data-view="full".
 * The iframe grows to its content: the embed page posts its height, and this script accepts
 * only messages from Broadsheet's origin, from that very iframe, with a sane whole height.
 * No dependencies, no cookies, nothing of the article's markup in the partner's page.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src).origin;
  var frames = [];
  var MIN = 50;
  var MAX = 20000;

  function upgrade(quote) {
    if (quote.getAttribute('data-broadsheet-done')) return;
    var slug = quote.getAttribute('data-article') || '';
    if (!/^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/.test(slug)) return;
    var params = '?theme=' + (quote.getAttribute('data-theme') === 'dark' ? 'dark' : 'light');
    if (quote.getAttribute('data-view') === 'full') params += '&view=full';
    var frame = document.createElement('iframe');
    frame.src = origin + '/embed/article/' + slug + params;
    // The server sends this file with the fallback title in the site's language (embed.frame_title).
    frame.title = (quote.textContent || '').trim() || 'Article on Broadsheet';
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
    frame.setAttribute('loading', 'lazy');
    frame.setAttribute('scrolling', 'no');
    frame.className = 'broadsheet-embed-frame';
    frame.style.cssText = 'display:block;width:100%;max-width:640px;height:240px;border:0;overflow:hidden';
    quote.setAttribute('data-broadsheet-done', '1');
    quote.parentNode.replaceChild(frame, quote);
    frames.push(frame);
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== origin) return;
    var frame = null;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frame = frames[i];
    }
    if (!frame) return;
    var data = event.data;
    if (!data || data.type !== 'broadsheet:height') return;
    var height = data.height;
    if (typeof height !== 'number' || Math.floor(height) !== height || height < MIN || height > MAX) return;
    frame.style.height = height + 'px';
  });

  var quotes = document.querySelectorAll('blockquote.broadsheet-embed[data-article]');
  for (var i = 0; i < quotes.length; i++) upgrade(quotes[i]);
})();
