// The mps3 console's page. Every URL is relative: the page lives under /<token>/, so each request
// carries the token without script. Values arrive as formatted JSON text and are edited as text,
// never parsed here: a JavaScript number would round what the bucket holds. The live stream fills
// the key list and the list of changes; the key shown is read on its own (GET api/value), which
// gives a strict manifest's version with the value, the version an edit is compared against.
'use strict';

const state = {
  manifest: null, // {manifest, protocol, given}
  keys: new Map(), // key -> formatted value, from the stream
  selected: null, // the key shown
  shown: null, // {key, text (null: absent), version (null: causal)} as last read
  reads: 0, // numbers the reads of the key shown: only the latest one is shown
  editing: null, // {key (null: a new key), version (strict: the version edited against)}
  source: null, // the EventSource of the manifest's changes
};

const $ = (id) => document.getElementById(id);

async function api(method, call, params, body) {
  const query = new URLSearchParams(params || {}).toString();
  let response;
  try {
    response = await fetch('api/' + call + (query ? '?' + query : ''), {method, body});
  } catch (e) {
    return {ok: false, status: 0, data: {error: 'the console does not answer (stopped?): ' + e}};
  }
  let data;
  try {
    data = await response.json();
  } catch (e) {
    data = {error: response.status + ' ' + response.statusText};
  }
  return {ok: response.ok, status: response.status, data};
}

function manifestParams(extra) {
  return Object.assign(
      {manifest: state.manifest.manifest, protocol: state.manifest.protocol}, extra || {});
}

function strict() {
  return state.manifest && state.manifest.protocol === 'strict';
}

function say(kind, text) {
  const box = $('message');
  box.className = kind;
  box.textContent = text;
  box.hidden = !text;
}

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Colours formatted JSON: keys, strings, numbers, literals. The text is escaped first.
function highlight(json) {
  return escapeHtml(json).replace(
      /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g,
      (match, string, colon, literal) => {
        if (string) {
          return colon ? '<span class="k">' + string + '</span>' + colon
                       : '<span class="s">' + string + '</span>';
        }
        return '<span class="' + (literal ? 'l' : 'n') + '">' + match + '</span>';
      });
}

// ---- manifests ----

async function loadManifests() {
  const result = await api('GET', 'manifests');
  const list = $('manifests');
  list.textContent = '';
  if (!result.ok) {
    $('manifests-note').textContent = result.data.error;
    return;
  }
  $('manifests-note').textContent = result.data.truncated
      ? 'The bucket has more keys than one listing reads: some manifests may be missing.' : '';
  for (const manifest of result.data.manifests) {
    const item = document.createElement('li');
    item.dataset.manifest = manifest.manifest;
    item.dataset.protocol = manifest.protocol;
    item.title = manifest.manifest + ' (' + manifest.protocol + ')';
    const protocol = document.createElement('span');
    protocol.className = 'protocol';
    protocol.textContent = manifest.protocol;
    item.append(protocol, document.createTextNode(manifest.manifest));
    item.addEventListener('click', () => selectManifest(manifest));
    list.append(item);
  }
  if (!state.manifest && result.data.manifests.length) {
    selectManifest(result.data.manifests[0]);
  } else {
    markManifest();
  }
}

function markManifest() {
  for (const item of $('manifests').children) {
    item.classList.toggle('selected', !!state.manifest
        && item.dataset.manifest === state.manifest.manifest
        && item.dataset.protocol === state.manifest.protocol);
  }
}

function selectManifest(manifest) {
  if (state.source) {
    state.source.close();
  }
  state.manifest = manifest;
  state.keys = new Map();
  state.selected = null;
  state.shown = null;
  state.editing = null;
  $('log').textContent = '';
  markManifest();
  renderKeys();
  showValue();
  follow();
}

// ---- the live stream ----

function follow() {
  const source = new EventSource('api/events?' + new URLSearchParams(manifestParams()));
  state.source = source;
  $('live-status').textContent = 'connecting';
  source.addEventListener('open', () => {
    state.keys = new Map(); // the stream starts with every current value
    $('live-status').textContent = 'live';
  });
  source.addEventListener('error', () => {
    $('live-status').textContent = 'reconnecting';
  });
  source.addEventListener('problem', (event) => {
    $('live-status').textContent = JSON.parse(event.data).error;
  });
  source.addEventListener('change', (event) => {
    const change = JSON.parse(event.data);
    $('live-status').textContent = 'live';
    if (change.deleted) {
      state.keys.delete(change.key);
    } else {
      state.keys.set(change.key, change.text);
    }
    logChange(change);
    scheduleRender(change.key);
  });
}

let pendingRender = null;
const changedKeys = new Set();

function scheduleRender(key) {
  changedKeys.add(key);
  if (pendingRender === null) {
    pendingRender = requestAnimationFrame(() => {
      pendingRender = null;
      renderKeys();
      if (changedKeys.has(state.selected)) {
        readSelected();
      }
      changedKeys.clear();
    });
  }
}

function logChange(change) {
  const item = document.createElement('li');
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = new Date().toLocaleTimeString();
  const key = document.createElement('span');
  key.className = 'key';
  key.textContent = change.key;
  const what = document.createElement('span');
  if (change.deleted) {
    what.className = 'deleted';
    what.textContent = 'deleted';
  } else {
    what.textContent = change.text.replace(/\s+/g, ' ');
  }
  item.append(time, key, what);
  const log = $('log');
  log.prepend(item);
  while (log.children.length > 500) {
    log.lastChild.remove();
  }
}

// ---- keys ----

function renderKeys() {
  const filter = $('key-filter').value;
  const keys = [...state.keys.keys()].filter((k) => k.includes(filter)).sort();
  const list = $('keys');
  const previous = new Set([...list.children].map((item) => item.dataset.key));
  list.textContent = '';
  for (const key of keys) {
    const item = document.createElement('li');
    item.dataset.key = key;
    item.textContent = key;
    item.title = key;
    item.classList.toggle('selected', key === state.selected);
    if (key !== state.selected && (changedKeys.has(key) || !previous.has(key))) {
      item.classList.add('flash');
    }
    item.addEventListener('click', () => selectKey(key));
    list.append(item);
  }
  $('key-count').textContent = state.keys.size ? '(' + state.keys.size + ')' : '';
}

function selectKey(key) {
  state.selected = key;
  state.shown = null;
  state.editing = null;
  say('', '');
  renderKeys();
  showValue();
  readSelected();
}

// Reads the key shown, with its version; a later read or selection supersedes an earlier one.
async function readSelected() {
  const key = state.selected;
  const read = ++state.reads;
  const result = await api('GET', 'value', manifestParams({key}));
  if (read !== state.reads || key !== state.selected) {
    return;
  }
  if (result.ok) {
    state.shown = {key, text: result.data.deleted ? null : result.data.text,
      version: result.data.version};
  } else {
    say('error', result.data.error);
  }
  showValue();
}

// ---- the value ----

function showValue() {
  const editing = state.editing !== null;
  const shown = state.shown !== null && state.shown.key === state.selected ? state.shown : null;
  const value = shown === null || shown.text === null ? undefined : shown;
  $('value-key').textContent =
      editing && state.editing.key === null ? 'New key'
          : state.selected === null ? 'No key selected' : state.selected;
  let meta = '';
  if (state.selected !== null && shown !== null) {
    if (value === undefined) {
      meta = 'absent (deleted)';
    } else if (value.version !== null) {
      meta = 'version ' + value.version;
    } else {
      meta = 'causal: the last write wins';
    }
  }
  $('value-meta').textContent = meta;
  $('value').hidden = editing;
  $('value').innerHTML = value === undefined ? '' : highlight(value.text);
  $('editor-box').hidden = !editing;
  $('editor-key').hidden = !(editing && state.editing.key === null);
  $('edit').hidden = editing;
  $('delete').hidden = editing;
  $('save').hidden = !editing;
  $('cancel').hidden = !editing;
  $('edit').disabled = value === undefined;
  $('delete').disabled = value === undefined;
  if (editing && state.editing.key !== null && value !== undefined && strict()
      && value.version !== state.editing.version && $('message').className !== 'error') {
    say('note', 'Changed by someone else since you began editing (you edit version '
        + state.editing.version + ', the bucket has version ' + value.version
        + '): saving will be refused as a conflict.');
  }
}

function startEdit(isNew) {
  const value = isNew ? undefined : state.shown;
  state.editing = {
    key: isNew ? null : state.selected,
    version: strict() ? (value ? value.version : 0) : null,
  };
  say('', '');
  $('editor').value = value ? value.text : '{\n  \n}';
  $('editor-key').value = '';
  showValue();
  (isNew ? $('editor-key') : $('editor')).focus();
}

async function save() {
  const key = state.editing.key === null ? $('editor-key').value : state.editing.key;
  if (!key) {
    say('error', 'Give the new key a name.');
    return;
  }
  const extra = {key};
  if (state.editing.version !== null) {
    extra.version = state.editing.version;
  }
  const result = await api('PUT', 'value', manifestParams(extra), $('editor').value);
  if (result.ok) {
    finishWrite(key, result.data, 'Saved ' + key);
  } else {
    say('error', result.data.error);
  }
}

async function remove() {
  const key = state.selected;
  const value = state.shown;
  if (!window.confirm('Delete ' + key + '?')) {
    return;
  }
  const extra = {key};
  if (strict()) {
    extra.version = value.version;
  }
  const result = await api('DELETE', 'value', manifestParams(extra));
  if (result.ok) {
    finishWrite(key, result.data, 'Deleted ' + key);
  } else {
    say('error', result.data.error);
  }
}

function finishWrite(key, now, text) {
  state.editing = null;
  state.selected = key;
  state.reads++; // a read begun before the write must not show the older value
  state.shown = {key, text: now.deleted ? null : now.text, version: now.version};
  if (now.deleted) {
    state.keys.delete(key);
  } else {
    state.keys.set(key, now.text);
  }
  say('ok', text + (now.version !== null && !now.deleted ? ' (version ' + now.version + ')' : ''));
  renderKeys();
  showValue();
}

// ---- the store report ----

function showTab(doctor) {
  $('data-view').hidden = doctor;
  $('doctor-view').hidden = !doctor;
  $('tab-data').classList.toggle('active', !doctor);
  $('tab-doctor').classList.toggle('active', doctor);
}

async function runDoctor() {
  $('doctor-run').disabled = true;
  $('doctor-report').textContent = 'Running the probe...';
  const result = await api('POST', 'doctor');
  $('doctor-report').textContent = result.ok ? result.data.text : result.data.error;
  $('doctor-run').disabled = false;
}

async function start() {
  $('manifests-refresh').addEventListener('click', loadManifests);
  $('key-filter').addEventListener('input', renderKeys);
  $('new-key').addEventListener('click', () => state.manifest && startEdit(true));
  $('edit').addEventListener('click', () => startEdit(false));
  $('save').addEventListener('click', save);
  $('cancel').addEventListener('click', () => {
    state.editing = null;
    say('', '');
    showValue();
  });
  $('delete').addEventListener('click', remove);
  $('tab-data').addEventListener('click', () => showTab(false));
  $('tab-doctor').addEventListener('click', () => showTab(true));
  $('doctor-run').addEventListener('click', runDoctor);
  const info = await api('GET', 'info');
  if (info.ok) {
    $('store').textContent = info.data.store + ', bucket ' + info.data.bucket;
  } else {
    $('store').textContent = info.data.error;
  }
  await loadManifests();
}

start();
