// The sandbox's Web Push demo page: subscribe like a browser would, then watch the decrypted payloads the
// emulator received for that subscription. Static HTML; it reads the emulator's own JSON routes.

export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pushwire sandbox: Web Push</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; max-width: 60rem; }
  pre, code { background: #f4f4f4; padding: .2rem .4rem; white-space: pre-wrap; word-break: break-all; }
  li { margin: .4rem 0; }
  .label { color: #a00; font-weight: bold; }
</style>
</head>
<body>
<p class="label">SANDBOX: a local Web Push emulator, never a real browser push service.</p>
<h1>Web Push demo</h1>
<p>
  <label>VAPID public key (optional) <input id="server-key" size="60"></label>
  <button id="subscribe">Subscribe</button>
  or open this page with <code>?id=&lt;subscription id&gt;</code>.
</p>
<h2>Subscription</h2>
<p>Send it as the <code>token</code> of a push (<code>"platform": "web"</code>):</p>
<pre id="subscription">none yet</pre>
<h2>Received <span id="count">0</span> (decrypted)</h2>
<ul id="messages"></ul>
<script>
  const params = new URLSearchParams(location.search);
  let id = params.get('id');
  const show = async () => {
    if (!id) return;
    const res = await fetch('messages/' + encodeURIComponent(id));
    if (!res.ok) return;
    const state = await res.json();
    document.getElementById('subscription').textContent = JSON.stringify(state.subscription);
    document.getElementById('count').textContent = String(state.received.length);
    const list = document.getElementById('messages');
    list.replaceChildren(...state.received.map((m) => {
      const li = document.createElement('li');
      li.className = 'message';
      li.textContent = 'urgency ' + m.urgency + ', TTL ' + m.ttl + (m.topic ? ', topic ' + m.topic : '') + ': ' + m.plaintext;
      return li;
    }));
  };
  document.getElementById('subscribe').addEventListener('click', async () => {
    const key = document.getElementById('server-key').value.trim();
    const res = await fetch('subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(key ? { applicationServerKey: key } : {}) });
    const sub = await res.json();
    id = sub.id;
    history.replaceState(null, '', '?id=' + encodeURIComponent(id));
    await show();
  });
  setInterval(show, 500);
  show();
</script>
</body>
</html>
`;
