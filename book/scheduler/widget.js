/*
 * "Be the scheduler": draws every div.sched-puzzle on the page and lets the
 * reader choose which thread takes the next step (in an async puzzle: which
 * task the executor polls next). The puzzle and the checker's trace (loom's or
 * shuttle's) come from the two script blocks after the div (see engine.js for
 * the format); the step machine is SchedEngine (engine.js, loaded first).
 * Progress is kept in localStorage under "sched-puzzle:ID". The root's
 * data-version, data-goal, data-replay, data-clicks (the clicks taken) and
 * data-preemptions (engine.js, PREEMPTIONS) say where it stands, for the
 * browser tests.
 */
(function () {
  "use strict";

  var E = window.SchedEngine;
  var VERSIONS = ["broken", "fixed"];

  // How to read an async puzzle: tasks, polls, wakers.
  function howToAsync(p) {
    var all = JSON.stringify([p.broken, p.fixed]);
    var text =
      "How to play: each column is one task, and the highlighted line is the step it takes next. " +
      "You are the executor: a task's Poll button runs that one step, and you choose the order, " +
      "as the worker threads of a multi-thread runtime might. " +
      "A task that is Pending at an await cannot be polled until something wakes it; " +
      "a task pending on a lock waits until its holder unlocks it. " +
      "Shared lists what every task sees, Locals each task's own.";
    if (all.indexOf('"notify"') >= 0) {
      text +=
        " A Notify: notify_waiters notifies only the notified() futures registered at that moment and stores nothing; " +
        "notify_one notifies the waiter registered first or, with none, stores one permit that the next notified().await takes.";
    }
    if (all.indexOf('"select"') >= 0) {
      text +=
        " In a select!, each poll runs one step of one arm (a biased select polls its arms in the order written, " +
        "so the first arm that can step takes it); when one arm is Ready, the select drops the others' futures " +
        "wherever they were, and what they held is lost.";
    }
    return text;
  }

  // How to read the puzzle, in plain words; the condition-variable part only
  // where the puzzle has one.
  function howTo(p) {
    if (E.isAsync(p)) return howToAsync(p);
    var cv = (p.broken.condvars || []).length > 0;
    var notifyOne = JSON.stringify(p.broken).indexOf('"notify_one"') >= 0;
    var text =
      "How to play: each column is one thread, and the highlighted line is the step it takes next. " +
      "You are the scheduler: a thread's Step button runs that one step, and you choose the order. " +
      "A thread is blocked while another thread holds the lock it asks for. " +
      "Shared lists the variables every thread sees, Locals each thread's own.";
    if (cv) {
      text +=
        " A wait is two steps: the first releases the lock and puts the thread asleep; " +
        "the second (the same line again) can run only after another thread notifies it, " +
        "and takes the lock back, so other threads may run in between.";
    }
    if (notifyOne) {
      text +=
        " notify_one wakes one sleeper; std does not say which, so here it wakes the one asleep longest.";
    }
    return text;
  }

  // What counts as a preemption (engine.js, PREEMPTIONS), said under the counter.
  var PREEMPTION_CAPTION =
    "a preemption is a step by another thread while the thread that stepped last could have gone on; " +
    "a switch away from a thread that is blocked, asleep or done is free, and so is the first step";
  var PREEMPTION_CAPTION_ASYNC =
    "a preemption is a poll of another task while the task polled last could have gone on; " +
    "a switch away from a task that is pending or done is free, and so is the first poll";

  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    var k;
    for (k in attrs || {}) {
      if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== null && attrs[k] !== undefined) {
        if (k === "text") n.textContent = attrs[k];
        else n.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      n.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return n;
  }

  function show(value) {
    if (value === null || value === undefined) return "not set";
    return JSON.stringify(value).replace(/,/g, ", ");
  }

  function vars(obj) {
    var keys = Object.keys(obj || {});
    if (!keys.length) return "none";
    return keys
      .map(function (k) {
        return k + " = " + show(obj[k]);
      })
      .join(", ");
  }

  function storageGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function storageSet(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* storage full or forbidden: progress is simply not kept */
    }
  }

  function Puzzle(root) {
    this.root = root;
    this.id = root.getAttribute("data-puzzle") || "";
    var json = document.getElementById("sched-puzzle-" + this.id);
    var trace =
      document.getElementById("sched-trace-" + this.id) || document.getElementById("sched-loom-" + this.id);
    this.p = JSON.parse(json.textContent);
    this.events = E.parseTrace(trace ? trace.textContent : "");
    this.checker = E.checkerOf(this.p);
    this.async = E.isAsync(this.p);
    this.trace = E.traceOf(this.p);
    this.sims = {
      broken: new E.Sim(this.p, "broken"),
      fixed: new E.Sim(this.p, "fixed"),
    };
    this.key = "sched-puzzle:" + this.id;
    this.version = "broken";
    this.solved = {};
    this.rp = null; // {status, marks: [{event, thread, step, click}], stoppedAt, reason}
    this.build();
    this.restore();
    this.render();
    root.setAttribute("data-ready", "true");
  }

  Puzzle.prototype.sim = function () {
    return this.sims[this.version];
  };

  Puzzle.prototype.build = function () {
    var self = this;
    var p = this.p;
    var root = this.root;
    root.textContent = "";
    root.setAttribute("tabindex", "0");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Be the scheduler: " + p.title);

    var n = this.sims.broken.threadCount();
    var keys = n === 1 ? "1" : n === 2 ? "1 or 2" : "1 to " + n;
    var caption = this.async ? PREEMPTION_CAPTION_ASYNC : PREEMPTION_CAPTION;
    root.appendChild(
      el("div", { class: "sched-head" }, [
        el("p", { class: "sched-title" }, [
          el("strong", { text: "Be the scheduler: " }),
          p.title,
          el("span", { class: "sched-solved", "data-role": "solved", hidden: "" }, ["\u2713 solved"]),
        ]),
        el("p", { class: "sched-goal" }, [el("strong", { text: "Goal: " }), p.goal]),
        el("p", { class: "sched-how" }, [howTo(p)]),
      ])
    );

    this.versionButtons = {};
    var vbox = el("div", { class: "sched-versions", role: "group", "aria-label": "Which code runs" });
    VERSIONS.forEach(function (v) {
      var b = el(
        "button",
        { type: "button", class: "sched-version sched-" + v, "data-version-choice": v, "aria-pressed": "false" },
        [el("span", { class: "sched-version-label", text: p[v].label }), el("span", { class: "sched-verdict", text: p[v].verdict })]
      );
      b.addEventListener("click", function () {
        self.setVersion(v);
      });
      self.versionButtons[v] = b;
      vbox.appendChild(b);
    });
    root.appendChild(vbox);

    this.threadsBox = el("div", { class: "sched-threads" });
    root.appendChild(this.threadsBox);

    this.sharedBox = el("p", { class: "sched-shared", "data-role": "shared" });
    this.locksBox = el("p", { class: "sched-locks", "data-role": "locks" });
    this.preemptionCount = el("span", { "data-role": "preemptions" });
    var preemptionsBox = el(
      "p",
      { class: "sched-preemptions", title: caption.replace(/^a/, "A") + "." },
      [this.preemptionCount, " ", el("span", { class: "sched-caption", text: "(" + caption + ")" })]
    );
    root.appendChild(el("div", { class: "sched-world" }, [this.sharedBox, this.locksBox, preemptionsBox]));

    var controls = el("div", { class: "sched-controls" });
    [
      ["undo", "Undo"],
      ["reset", "Reset"],
      ["replay", this.checker === "loom" ? "Show me loom's interleaving" : "Show me " + this.checker + "'s schedule"],
    ].forEach(function (a) {
      var b = el("button", { type: "button", class: "sched-action", "data-action": a[0], text: a[1] });
      b.addEventListener("click", function () {
        self[a[0]]();
      });
      controls.appendChild(b);
    });
    root.appendChild(controls);

    this.status = el("p", { class: "sched-status", "data-role": "status", "aria-live": "polite", role: "status" });
    root.appendChild(this.status);
    this.whyBox = el("p", { class: "sched-why", "data-role": "why", hidden: "" }, [
      el("strong", { text: "Why you cannot: " }),
      p.fixed.why || "",
    ]);
    root.appendChild(this.whyBox);
    this.replayBox = el("div", { class: "sched-replay", "data-role": "replay", hidden: "" });
    root.appendChild(this.replayBox);
    root.appendChild(
      el("p", { class: "sched-help" }, [
        "Keys, once you have clicked into the puzzle: " +
          keys +
          (this.async ? " polls that task" : " steps that thread") +
          ", u or Backspace undoes, r resets.",
      ])
    );

    root.addEventListener("keydown", function (e) {
      self.key_(e);
    });
  };

  Puzzle.prototype.key_ = function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    var k = e.key;
    var handled = true;
    if (/^[1-9]$/.test(k)) {
      var i = Number(k) - 1;
      if (i < this.sim().threadCount()) this.step(i);
      else handled = false;
    } else if (k === "u" || k === "U" || k === "Backspace") {
      this.undo();
    } else if (k === "r" || k === "R") {
      this.reset();
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  Puzzle.prototype.save = function () {
    storageSet(
      this.key,
      JSON.stringify({ version: this.version, history: this.sim().history.slice(), solved: this.solved })
    );
  };

  Puzzle.prototype.restore = function () {
    var raw = storageGet(this.key);
    if (!raw) return;
    var data;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return;
    }
    if (!data || typeof data !== "object") return;
    if (data.solved && typeof data.solved === "object" && data.solved.broken === true) {
      this.solved = { broken: true };
    }
    if (VERSIONS.indexOf(data.version) < 0) return;
    this.version = data.version;
    var history = Array.isArray(data.history)
      ? data.history.filter(function (n) {
          return (typeof n === "number" && n % 1 === 0) || (typeof n === "string" && /^\d+\.\d+$/.test(n));
        })
      : [];
    try {
      this.sim().load(history);
    } catch (e) {
      this.sim().reset();
    }
  };

  Puzzle.prototype.noteGoal = function () {
    var sim = this.sim();
    if (sim.goalReached() && this.version === "broken") this.solved.broken = true;
  };

  // "1 preemption", "2 preemptions".
  function preemptions(n) {
    return n + (n === 1 ? " preemption" : " preemptions");
  }

  // Where the threads stand, without a word about the goal.
  Puzzle.prototype.standstill = function () {
    var sim = this.sim();
    var after = ", after " + preemptions(sim.preemptions) + ".";
    var w = sim.word();
    if (sim.deadlocked()) return " No " + w + " can take a step: deadlock" + after;
    if (sim.allDone()) return " Every " + w + " is done" + after;
    return "";
  };

  // What the state means, for the status line.
  Puzzle.prototype.outcome = function () {
    var sim = this.sim();
    var w = sim.word();
    if (sim.goalReached()) return " Goal reached: " + this.p.goal;
    if (sim.deadlocked()) {
      if (/\bpreemptions\b/.test(this.p.goal_when)) {
        return (
          " No " + w + " can take a step: deadlock, after " +
          preemptions(sim.preemptions) +
          ", and the goal is not reached. Undo, or reset and try another order."
        );
      }
      return " No " + w + " can take a step: deadlock.";
    }
    if (sim.allDone()) return " Every " + w + " is done, and the goal was not reached. Undo, or reset and try another order.";
    return "";
  };

  Puzzle.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Puzzle.prototype.step = function (i, arm) {
    var r;
    try {
      r = this.sim().step(i, arm);
    } catch (e) {
      this.say("This puzzle is broken: " + e.message);
      return;
    }
    if (!r.ok) {
      this.say("No step taken: " + r.text + ".");
      this.render();
      return;
    }
    this.rp = null;
    this.noteGoal();
    var names = this.sim().names();
    var preempted =
      r.preempted >= 0
        ? " That is preemption " +
          this.sim().preemptions +
          ": " +
          names[r.preempted] +
          (this.async ? " could have been polled instead." : " could have taken its next step.")
        : "";
    this.say(r.text + "." + preempted + this.outcome());
    this.save();
    this.render();
  };

  Puzzle.prototype.undo = function () {
    var sim = this.sim();
    if (!sim.history.length) {
      this.say("Nothing to undo.");
      return;
    }
    var last = sim.trail[sim.trail.length - 1];
    sim.undo();
    this.say("Undone: " + last.text + "." + this.outcome());
    this.save();
    this.render();
  };

  Puzzle.prototype.reset = function () {
    this.sim().reset();
    this.rp = null;
    this.say("Back to the start.");
    this.save();
    this.render();
  };

  Puzzle.prototype.setVersion = function (v) {
    this.version = v;
    this.sims[v].reset();
    this.rp = null;
    this.say("Now running " + this.p[v].label + ". Back to the start.");
    this.save();
    this.render();
  };

  Puzzle.prototype.replay = function () {
    var sim = this.sim();
    var r;
    try {
      r = E.replay(sim, this.events);
    } catch (e) {
      this.say("This puzzle is broken: " + e.message);
      return;
    }
    // Which click took each event's step: count the clicks of that thread.
    var marks = [];
    var seen = 0;
    r.marks.forEach(function (m) {
      for (var c = seen; c < sim.trail.length; c++) {
        if (sim.trail[c].thread === m.thread && sim.trail[c].step === m.step) {
          marks.push({ event: m.event, thread: m.thread, step: m.step, click: c + 1 });
          seen = c + 1;
          return;
        }
      }
    });
    // A replay that is not meant to reach the goal says why (trace.misses_goal).
    var misses = this.version === "broken" && r.status === "done" && !r.goal ? this.trace.misses_goal : null;
    if (!misses) misses = null;
    this.rp = { status: r.status, marks: marks, stoppedAt: r.stoppedAt, reason: r.reason, misses: misses };
    this.noteGoal();
    var n = this.events.length;
    var whose = this.checker === "loom" ? "loom's interleaving" : this.checker + "'s schedule";
    var then = (this.trace.then || []).length;
    var thenText = then ? ", then the " + (then === 1 ? "step" : then + " steps") + " its Then line reports" : "";
    if (r.status === "done") {
      var end = misses
        ? this.standstill() + " The goal is not reached: the note under " + this.checker + "'s events says why."
        : this.outcome();
      this.say(whose + ", replayed: all " + n + " events" + thenText + "." + end);
    } else if (r.stoppedAt >= n) {
      this.say(
        whose + ", replayed: all " + n + " events, but not the end its Then line reports: " + r.reason + "." + this.outcome()
      );
    } else {
      var ev = this.events[r.stoppedAt];
      this.say(
        whose +
          " cannot happen in this version: at event " +
          ev.n +
          " (" +
          ev.label +
          " " +
          ev.text +
          "), " +
          r.reason +
          "." +
          this.outcome()
      );
    }
    this.save();
    this.render();
  };

  Puzzle.prototype.render = function () {
    var self = this;
    var sim = this.sim();
    var p = this.p;
    var v = p[this.version];
    var root = this.root;
    var replay = this.rp;
    var clicks = sim.history.length;

    root.setAttribute("data-version", this.version);
    root.setAttribute("data-goal", sim.goalReached() ? "reached" : "open");
    root.setAttribute("data-replay", replay ? replay.status : "none");
    root.setAttribute("data-clicks", String(clicks));
    root.setAttribute("data-preemptions", String(sim.preemptions));
    this.preemptionCount.textContent = "";
    this.preemptionCount.appendChild(el("strong", { text: "Preemptions: " }));
    this.preemptionCount.appendChild(document.createTextNode(String(sim.preemptions)));
    VERSIONS.forEach(function (name) {
      self.versionButtons[name].setAttribute("aria-pressed", name === self.version ? "true" : "false");
    });
    var solved = root.querySelector('[data-role="solved"]');
    if (this.solved.broken) solved.removeAttribute("hidden");
    else solved.setAttribute("hidden", "");
    if (this.version === "fixed") this.whyBox.removeAttribute("hidden");
    else this.whyBox.setAttribute("hidden", "");

    // Events of loom's trace, by thread and step, for the marks beside steps.
    var byStep = {};
    if (replay) {
      replay.marks.forEach(function (m) {
        if (m.click > clicks) return;
        var k = m.thread + ":" + m.step;
        (byStep[k] = byStep[k] || []).push(self.events[m.event]);
      });
    }

    // The threads. The columns are drawn anew, so a focused Step button is
    // focused again afterwards (or the puzzle, once that button is disabled).
    var focused = document.activeElement;
    var refocus =
      focused && this.threadsBox.contains(focused) ? focused.getAttribute("data-step") : null;
    this.threadsBox.textContent = "";
    v.threads.forEach(function (th, i) {
      var st = sim.threadState(i);
      var col = el("div", { class: "sched-thread sched-" + st.word, "data-thread": String(i + 1) });
      col.appendChild(
        el("p", { class: "sched-thread-head" }, [
          el("strong", { text: th.name }),
          " ",
          el("span", { class: "sched-state", "data-role": "state", text: st.text }),
        ])
      );
      var list = el("ol", { class: "sched-steps" });
      var ts = sim.state.threads[i];
      var pc = ts.done ? -1 : ts.pc;
      // In a select, each arm's next step is marked, with the arm's name.
      var armAt = {};
      if (ts.sel) {
        pc = -1;
        sim.arms(i).forEach(function (arm, a) {
          var k = ts.sel.arms[a].pc;
          (armAt[k] = armAt[k] || []).push(arm.name + ": " + st.arms[a].text);
        });
      }
      th.steps.forEach(function (step, si) {
        var next = si === pc || armAt[si] !== undefined;
        var li = el("li", { class: "sched-step" + (next ? " sched-next" : ""), "data-index": String(si + 1) });
        if (next) li.setAttribute("aria-current", "step");
        (armAt[si] || []).forEach(function (text) {
          li.appendChild(el("span", { class: "sched-arm", text: "next of the " + text }));
        });
        var indent = Math.max(0, Math.min(3, Number(step.indent) || 0));
        li.appendChild(el("code", { class: "sched-code sched-indent-" + indent, text: step.code }));
        if (step.note) li.appendChild(el("span", { class: "sched-note", text: step.note }));
        (byStep[i + ":" + si] || []).forEach(function (ev) {
          li.appendChild(
            el("span", { class: "sched-event", text: self.checker + " " + ev.n + ": " + ev.label + " " + ev.text })
          );
        });
        list.appendChild(li);
      });
      col.appendChild(list);
      col.appendChild(el("p", { class: "sched-locals" }, [el("span", { text: "Locals: " }), vars(sim.state.threads[i].l)]));
      var can = sim.canStep(i);
      var b = el("button", {
        type: "button",
        class: "sched-step-button",
        "data-step": String(i + 1),
        "aria-keyshortcuts": i < 9 ? String(i + 1) : null,
        text: (self.async ? "Poll " : "Step ") + th.name,
      });
      if (!can) b.disabled = true;
      b.addEventListener("click", function () {
        self.step(i);
      });
      col.appendChild(b);
      // An unbiased select may poll any arm first: one button per arm.
      var arms = sim.arms(i);
      if (arms && arms.length > 1 && !th.steps[ts.sel.at].biased) {
        arms.forEach(function (arm, a) {
          var ab = el("button", {
            type: "button",
            class: "sched-step-button sched-arm-button",
            "data-step": i + 1 + "." + (a + 1),
            text: "Poll " + th.name + "'s " + arm.name + " first",
          });
          if (!sim.canStep(i, a)) ab.disabled = true;
          ab.addEventListener("click", function () {
            self.step(i, a);
          });
          col.appendChild(ab);
        });
      }
      self.threadsBox.appendChild(col);
    });

    if (refocus !== null) {
      var again = this.threadsBox.querySelector('button[data-step="' + refocus + '"]');
      if (again && !again.disabled) again.focus();
      else root.focus();
    }

    // Shared variables, locks, sleepers.
    this.sharedBox.textContent = "";
    this.sharedBox.appendChild(el("strong", { text: "Shared: " }));
    this.sharedBox.appendChild(document.createTextNode(vars(sim.state.s)));
    this.locksBox.textContent = "";
    this.locksBox.appendChild(el("strong", { text: this.async ? "Locks and wakers: " : "Locks: " }));
    var parts = sim.c.locks.map(function (k) {
      var h = sim.state.holders[k];
      return k + (h === null ? " free" : " held by " + v.threads[h].name);
    });
    sim.c.condvars.forEach(function (k) {
      var q = sim.state.sleepers[k];
      parts.push(
        k +
          (q.length
            ? ": " +
              q
                .map(function (t) {
                  return v.threads[t].name;
                })
                .join(", ") +
              " asleep"
            : ": nobody asleep")
      );
    });
    var who = function (r) {
      return sim.who(r.task, r.arm);
    };
    sim.c.notifies.forEach(function (k) {
      var n = sim.state.notifies[k];
      var waiting = n.regs.filter(function (r) {
        return !r.notified;
      });
      var told = n.regs.filter(function (r) {
        return r.notified;
      });
      parts.push(
        k +
          " (Notify): " +
          (n.permit ? "a permit stored" : "no permit") +
          (waiting.length ? "; registered: " + waiting.map(who).join(", ") : "; nobody registered") +
          (told.length ? "; notified, not yet polled: " + told.map(who).join(", ") : "")
      );
    });
    sim.c.wakers.forEach(function (k) {
      var q = sim.state.wakers[k];
      parts.push(k + ": " + (q.length ? q.map(who).join(", ") + " pending" : "nobody pending"));
    });
    this.locksBox.appendChild(document.createTextNode(parts.length ? parts.join("; ") : "none"));

    // loom's interleaving.
    this.replayBox.textContent = "";
    if (replay) {
      this.replayBox.removeAttribute("hidden");
      this.replayBox.appendChild(
        el("p", {}, [
          this.checker + (this.checker === "loom" ? "'s failing execution" : "'s failing schedule") + " of the wrong version, as ",
          el("code", { text: this.trace.test }),
          " prints it. Each event is one trace! line of the lab code; the arrow names the step of this version that completes it:",
        ])
      );
      var ol = el("ol", { class: "sched-events" });
      this.events.forEach(function (ev, k) {
        var m = null;
        replay.marks.forEach(function (x) {
          if (x.event === k) m = x;
        });
        var where;
        if (m) where = " \u2192 " + v.threads[m.thread].name + ", step " + (m.step + 1);
        else if (k === replay.stoppedAt) where = " \u2192 cannot happen here: " + replay.reason;
        else where = " \u2192 not reached";
        ol.appendChild(
          el("li", { value: String(ev.n), class: m ? "sched-event-done" : k === replay.stoppedAt ? "sched-event-stopped" : "sched-event-missed" }, [
            el("code", { text: ev.label + "  " + ev.text }),
            where,
          ])
        );
      });
      this.replayBox.appendChild(ol);
      var then = this.trace.then || [];
      if (then.length) {
        var ended = replay.status === "done" || replay.stoppedAt >= this.events.length;
        this.replayBox.appendChild(
          el("p", { class: "sched-replay-then" }, [
            "Then, as the line after the events reports: " +
              then
                .map(function (c) {
                  var t = sim.parseClick(c);
                  return t ? v.threads[t.thread].name + " takes one more step" : String(c);
                })
                .join(", ") +
              (replay.status === "done"
                ? "."
                : ended
                  ? ", which cannot happen here: " + replay.reason + "."
                  : " (not reached)."),
          ])
        );
      }
      if (replay.misses) {
        this.replayBox.appendChild(
          el("p", { class: "sched-replay-note", "data-role": "replay-note" }, [
            el("strong", { text: "Not your goal: " }),
            replay.misses,
          ])
        );
      }
    } else {
      this.replayBox.setAttribute("hidden", "");
    }
  };

  function init() {
    if (!E) return;
    var roots = document.querySelectorAll("div.sched-puzzle");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-ready") === "true") return;
      try {
        var pz = new Puzzle(root);
        root.schedPuzzle = pz;
      } catch (e) {
        root.textContent = "This puzzle could not be loaded: " + e.message;
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
