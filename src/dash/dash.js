// procd's dashboard: keeps the server-rendered table live from the
// gateway's event stream (/dash/events), adds the buttons that act
// (POST /dash/act/OP/TARGET with the page's token), the filter and the
// log view.  Text from procd is only ever set as textContent.
"use strict";
(function () {
	const doc = document;
	const SIGNS = { RUNNING: "\u25cf", STARTING: "\u25d4",
		BACKOFF: "\u21bb", STOPPING: "\u25d1", STOPPED: "\u25a0",
		EXITED: "\u25cb", FATAL: "\u2715" };
	const ORDER = ["RUNNING", "STARTING", "BACKOFF", "STOPPING",
		"STOPPED", "EXITED", "FATAL"];
	const LOG_KEEP = 256 * 1024;	// characters of log kept on screen
	let token = "";
	const rows = new Map();		// name -> { r: row, at: ms, tr }
	const tbody = doc.querySelector("#procs tbody");
	const filter = doc.getElementById("filter");
	const msg = doc.getElementById("msg");
	const conn = doc.getElementById("conn");

	// Same-origin URLs built on location.origin: a page opened as
	// http://user:pass@host/ may not fetch a URL that holds credentials.
	function at(path) {
		return new URL(path, location.origin).href;
	}

	function el(tag, cls, text) {
		const e = doc.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	// "H:MM:SS", "1 day, H:MM:SS", as procctl status.
	function uptime(s) {
		s = Math.max(0, Math.floor(s));
		const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
		const m = Math.floor(s % 3600 / 60), x = s % 60;
		const t = h + ":" + String(m).padStart(2, "0") + ":" +
			String(x).padStart(2, "0");
		return d > 0 ? d + (d === 1 ? " day, " : " days, ") + t : t;
	}

	function ready(r) {
		if (r.state === "RUNNING")
			return "\u2713 ready";
		if (r.state === "STARTING")
			return r.waiting.length ? "\u2026 waiting" : "\u2026 not yet";
		return "\u2013";
	}

	function button(op, target, label, text) {
		const b = el("button", "", text);
		b.type = "button";
		b.dataset.op = op;
		b.dataset.target = target;
		b.setAttribute("aria-label", label);
		return b;
	}

	function logLink(name) {
		const a = el("a", "log", "log");
		a.href = "/logtail/" + encodeURIComponent(name);
		a.dataset.name = name;
		a.setAttribute("aria-label", "log of " + name);
		return a;
	}

	function fill(e) {
		const r = e.r, tr = e.tr, c = tr.children;
		tr.dataset.state = r.state;
		c[1].replaceChildren(stateBadge(r.state));
		c[2].textContent = r.state === "RUNNING" ?
			uptime(r.uptime + (Date.now() - e.at) / 1000) : "";
		c[3].textContent = String(r.restarts);
		c[4].textContent = ready(r);
		c[5].textContent = r.waiting.join(", ");
		c[6].textContent = r.desc;
	}

	function stateBadge(state) {
		const s = el("span", "st st-" + state);
		const i = el("span", "", SIGNS[state] || "?");
		i.setAttribute("aria-hidden", "true");
		s.append(i, " " + state);
		return s;
	}

	function makeRow(e) {
		const r = e.r, tr = el("tr");
		tr.dataset.name = r.name;
		tr.dataset.group = r.group;
		const th = el("th", "", r.name);
		th.scope = "row";
		tr.append(th, el("td", "state"), el("td", "up"), el("td", "rs"),
			el("td", "rd"), el("td", "wt"), el("td", "desc"));
		const acts = el("td", "acts");
		acts.append(button("start", r.name, "start " + r.name, "Start"),
			button("stop", r.name, "stop " + r.name, "Stop"),
			button("restart", r.name, "restart " + r.name, "Restart"),
			logLink(r.name));
		tr.append(acts);
		e.tr = tr;
		fill(e);
		return tr;
	}

	function grouped(r) {
		return r.name.startsWith(r.group + ":");
	}

	function groupRow(g) {
		const tr = el("tr", "grp"), th = el("th");
		tr.dataset.group = g;
		th.scope = "rowgroup";
		th.colSpan = 8;
		const t = g + ":*";
		th.append(el("span", "gname", g),
			button("start", t, "start group " + g, "Start group"),
			button("stop", t, "stop group " + g, "Stop group"),
			button("restart", t, "restart group " + g, "Restart group"));
		tr.append(th);
		return tr;
	}

	// The whole table from ROWS, in procd's order.
	function renderAll() {
		const frag = doc.createDocumentFragment();
		let last = null;
		for (const e of rows.values()) {
			const g = grouped(e.r) ? e.r.group : null;
			if (g !== null && g !== last)
				frag.append(groupRow(g));
			last = g;
			frag.append(makeRow(e));
		}
		tbody.replaceChildren(frag);
		applyFilter();
		summary();
	}

	function sorted(list) {
		list.sort((a, b) => a.r.name < b.r.name ? -1 :
			a.r.name > b.r.name ? 1 : 0);
		rows.clear();
		for (const e of list)
			rows.set(e.r.name, e);
	}

	function summary() {
		const n = {};
		for (const e of rows.values())
			n[e.r.state] = (n[e.r.state] || 0) + 1;
		const parts = ORDER.filter(s => n[s]).map(s => n[s] + " " + s);
		doc.getElementById("summary").textContent =
			parts.length ? parts.join(", ") : "no programs";
	}

	function onSnapshot(ev) {
		const d = JSON.parse(ev.data), now = Date.now();
		token = d.token;
		sorted(d.rows.map(r => ({ r: r, at: now, tr: null })));
		renderAll();
	}

	function onRows(ev) {
		const now = Date.now();
		let added = false;
		for (const r of JSON.parse(ev.data)) {
			const e = rows.get(r.name);
			if (e) {
				e.r = r;
				e.at = now;
				fill(e);
			} else {
				rows.set(r.name, { r: r, at: now, tr: null });
				added = true;
			}
		}
		if (added) {
			sorted(Array.from(rows.values()));
			renderAll();
		} else {
			applyFilter();
			summary();
		}
	}

	function onGone(ev) {
		for (const name of JSON.parse(ev.data))
			rows.delete(name);
		renderAll();
	}

	function tick() {
		const now = Date.now();
		for (const e of rows.values())
			if (e.r.state === "RUNNING" && e.tr)
				e.tr.children[2].textContent =
					uptime(e.r.uptime + (now - e.at) / 1000);
	}

	function applyFilter() {
		const q = filter.value.trim().toLowerCase();
		const shown = new Set();
		for (const tr of tbody.rows) {
			if (tr.classList.contains("grp"))
				continue;
			const hay = (tr.dataset.name + " " + tr.dataset.group +
				" " + tr.dataset.state).toLowerCase();
			tr.hidden = q !== "" && !hay.includes(q);
			if (!tr.hidden)
				shown.add(tr.dataset.group);
		}
		for (const tr of tbody.querySelectorAll("tr.grp"))
			tr.hidden = !shown.has(tr.dataset.group);
	}

	function say(text, bad) {
		msg.textContent = text;
		msg.classList.toggle("err", !!bad);
	}

	function needsConfirm(op, target) {
		return op !== "start" || target === "all";
	}

	async function act(b) {
		const op = b.dataset.op, target = b.dataset.target;
		const what = target === "all" ? "every program" : target;
		if (needsConfirm(op, target) &&
		    !window.confirm(op.charAt(0).toUpperCase() + op.slice(1) +
		    " " + what + "?"))
			return;
		b.disabled = true;
		say(op + " " + what + "\u2026");
		try {
			const res = await fetch(at("/dash/act/" + op + "/" +
				encodeURIComponent(target)), { method: "POST",
				headers: { "X-Procd-Token": token },
				credentials: "same-origin" });
			const text = res.headers.get("Content-Type") ===
				"application/json" ? await res.json() : null;
			if (!res.ok || text === null)
				say(op + " " + what + ": HTTP " + res.status, true);
			else
				say(text.output.trim() || (op + " " + what + ": done"),
					!text.ok);
		} catch (err) {
			say(op + " " + what + ": " + err.message, true);
		} finally {
			b.disabled = false;
		}
	}

	// The log view: one streamed GET of /logtail/NAME/STREAM (or
	// /mainlogtail), read as it comes.
	const logview = doc.getElementById("logview");
	const logtext = doc.getElementById("logtext");
	const logtitle = doc.getElementById("logtitle");
	let logAbort = null, logName = null, logOpener = null;

	async function follow(url) {
		if (logAbort)
			logAbort.abort();
		const ctl = new AbortController();
		logAbort = ctl;
		logtext.textContent = "";
		try {
			const res = await fetch(at(url), { signal: ctl.signal,
				credentials: "same-origin" });
			if (!res.ok) {
				logtext.textContent = "(" + res.status + " " +
					res.statusText + ")";
				return;
			}
			const rd = res.body.getReader();
			const dec = new TextDecoder();
			for (;;) {
				const { value, done } = await rd.read();
				if (done)
					break;
				append(dec.decode(value, { stream: true }));
			}
			append("\n(the log stream ended)\n");
		} catch (err) {
			if (err.name !== "AbortError")
				append("\n(" + err.message + ")\n");
		}
	}

	function append(s) {
		const atEnd = logtext.scrollTop + logtext.clientHeight >=
			logtext.scrollHeight - 4;
		let t = logtext.textContent + s;
		if (t.length > LOG_KEEP)
			t = t.slice(t.length - LOG_KEEP);
		logtext.textContent = t;
		if (atEnd)
			logtext.scrollTop = logtext.scrollHeight;
	}

	function openLog(name, stream) {
		logName = name;
		logview.hidden = false;
		logtitle.textContent = name === null ? "procd's log" :
			"Log of " + name + " (" + stream + ")";
		for (const b of logview.querySelectorAll("[data-stream]")) {
			b.hidden = name === null;
			b.setAttribute("aria-pressed",
				String(b.dataset.stream === stream));
		}
		follow(name === null ? "/mainlogtail" : "/logtail/" +
			encodeURIComponent(name) + "/" + stream);
		logtext.focus();
	}

	function closeLog() {
		if (logAbort)
			logAbort.abort();
		logAbort = null;
		logview.hidden = true;
		// Back where the keyboard was, if that is still on the page.
		if (logOpener && logOpener.isConnected)
			logOpener.focus();
		logOpener = null;
	}

	doc.addEventListener("click", ev => {
		const t = ev.target.closest("button, a.log");
		if (!t)
			return;
		if (t.matches("button[data-op]")) {
			act(t);
		} else if (t.matches("a.log")) {
			ev.preventDefault();
			logOpener = t;
			openLog(t.dataset.main ? null : t.dataset.name ||
				t.closest("tr").dataset.name, "stdout");
		} else if (t.matches("button[data-stream]")) {
			openLog(logName, t.dataset.stream);
		} else if (t.id === "logclose") {
			closeLog();
		}
	});
	doc.addEventListener("keydown", ev => {
		if (ev.key === "Escape" && !logview.hidden)
			closeLog();
	});

	function connect() {
		const es = new EventSource(at("/dash/events"));
		es.addEventListener("snapshot", onSnapshot);
		es.addEventListener("rows", onRows);
		es.addEventListener("gone", onGone);
		es.onopen = () => {
			conn.textContent = "live";
			conn.classList.remove("down");
		};
		// EventSource reconnects by itself (after "retry" ms); each
		// new stream starts with a snapshot, so nothing is missed.
		// An answer that is not a stream (503: too many open, or
		// procd did not answer) ends it for good: try again later.
		es.onerror = () => {
			conn.textContent = "connection lost: reconnecting\u2026";
			conn.classList.add("down");
			if (es.readyState === EventSource.CLOSED)
				setTimeout(connect, 5000);
		};
	}

	doc.documentElement.classList.add("js");
	token = doc.querySelector("meta[name=procd-token]").content;
	filter.disabled = false;
	filter.addEventListener("input", applyFilter);
	setInterval(tick, 1000);
	connect();
})();
