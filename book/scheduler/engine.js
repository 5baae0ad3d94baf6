/*
 * "Be the scheduler": the step machine behind the puzzles. No DOM here; the
 * widget (widget.js) draws it. Works in the browser (window.SchedEngine) and
 * in node (module.exports), so puzzles can be checked with node while writing
 * them; the book's own tests never need node.
 *
 * THE PUZZLE FORMAT
 *
 * One puzzle is one JSON file, book/<chapter>/puzzles/<id>.json, with no blank
 * line in it (mdBook would end the HTML block there). A page embeds it as
 *
 *   <div class="sched-puzzle" data-puzzle="ID"></div>
 *   <script type="application/json" id="sched-puzzle-ID">  {{#include puzzles/ID.json}}
 *   <script type="text/plain" id="sched-loom-ID">          {{#include captured/....txt}}
 *
 * (three blocks with a blank line between them; see the chapter 3 pages).
 *
 * Top level:
 *   id         [a-z0-9-]+, the file's stem.
 *   title      a short name ("Lose an update").
 *   goal       what the reader must make happen, one sentence.
 *   goal_when  a JavaScript expression, checked after every step, with
 *              s (the shared variables), t (the threads: {name, l, done,
 *              blocked}, l being the thread's locals), done (every thread has
 *              finished), deadlock (a thread is unfinished and none can
 *              step) and preemptions (how many so far, see PREEMPTIONS) in
 *              scope.
 *   loom       {file: the captured trace, relative to the page (the file the
 *              page includes); test: the command that prints it;
 *              misses_goal: optional, see REPLAY}.
 *   solution   thread numbers, 1-based, one per click: an interleaving that
 *              reaches the goal in "broken" and does not in "fixed".
 *   broken, fixed   two VERSIONs of the same program.
 *
 * VERSION:
 *   label      "Wrong: ..." / "Right: ...", names the code.
 *   source     the lab file, from the repository root, whose lines the steps
 *              show: each step's code occurs in it (whitespace collapsed).
 *   verdict    what loom says about this version.
 *   why        (fixed) why the goal cannot be reached, one or two sentences.
 *   shared     the shared variables and their first values.
 *   locks      the mutexes' names; condvars: the condition variables' names.
 *   threads    [{name, locals, steps}], name = the label loom's trace uses
 *              for that thread (main, T1, T2, T3), the same in both versions.
 *
 * STEP: {code, note, do, ...}; code and note are shown, do says what happens:
 *   run         run: JavaScript statements over s and l ("" does nothing).
 *   lock        lock: takes that mutex; cannot step while anybody holds it
 *               (the thread itself included: a Mutex is not reentrant).
 *   unlock      lock: releases it; the thread must hold it.
 *   jump        to: a step's label; if: an expression over s and l. Goes to
 *               the labelled step when if is true or absent, else on.
 *   wait        condvar, lock: releases the lock and falls asleep on the
 *               condvar. The next step is normally its relock.
 *   relock      lock: wakes up and takes the lock again; can step only once
 *               notified and while nobody holds the lock.
 *   notify_one  condvar: wakes the thread that has slept on it longest (a
 *               simplification: std promises only that one waiter wakes; the
 *               widget tells the reader so).
 *   notify_all  condvar: wakes every thread asleep on it.
 * Optional on any step: label (a jump target), indent (0-3, display only),
 * loom: true (this step completes one event of loom's trace, see replay).
 * A thread is done when it steps past its last step. To end a thread from
 * the middle (a return), jump to a label on its last step.
 *
 * REPLAY of loom's trace: the events are the numbered lines between
 * "The execution, step by step:" and the first line starting with "Then",
 * "   N. LABEL  text". For each event in turn, the thread called LABEL takes
 * steps until it has taken one marked loom: true. When it cannot step first,
 * the replay stops there: that interleaving cannot happen in this version.
 * Mark the step that ends the critical section an event was traced in (its
 * unlock) when the next event belongs to another thread that needs the lock.
 * In "broken" the replay normally reaches the goal. loom.misses_goal, a
 * sentence, says that it does not and why (the goal asks for fewer
 * preemptions than loom's trace took, say); the widget shows it when the
 * replay of "broken" ends, and the tests expect the goal not reached there.
 *
 * PREEMPTIONS: a step by another thread than the one that took the previous
 * step counts one preemption when that previous thread could have stepped
 * instead (it had not finished, and was neither blocked on a lock nor asleep
 * on a condvar): loom's definition (Schedule::preemptions), at the puzzle's
 * steps. A switch away from a thread that is finished, blocked or asleep is
 * free, and so is the first step: a puzzle starts with every thread spawned.
 * That matches loom where the model's main thread spawns the threads and
 * waits in join, as in the philosophers; where main is one of the puzzle's
 * threads and goes on after its spawns, loom counts running another thread
 * before main's first step as a preemption of main, which the puzzle does
 * not. The count is a function of the history of clicks: every step records
 * whether it was a preemption, and undo, reset, load and replay rebuild the
 * state, count included, by taking the steps again from the first state.
 *
 * Undo replays the history, minus its last click, from the first state: the
 * machine is deterministic, so that gives exactly the state before.
 */
(function (root) {
  "use strict";

  var DOS = [
    "run",
    "lock",
    "unlock",
    "jump",
    "wait",
    "relock",
    "notify_one",
    "notify_all",
  ];

  function clone(v) {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }

  function collapse(text) {
    return String(text).replace(/\s+/g, " ").trim();
  }

  function fail(where, message) {
    throw new Error(where + ": " + message);
  }

  // Compiles one version: labels resolved, expressions turned into functions.
  function compileVersion(puzzle, name) {
    var v = puzzle[name];
    var here = "puzzle " + puzzle.id + ", " + name;
    if (!v || typeof v !== "object") fail(here, "missing");
    var locks = v.locks || [];
    var condvars = v.condvars || [];
    var threads = (v.threads || []).map(function (th, ti) {
      var at = here + ", thread " + th.name;
      var labels = {};
      (th.steps || []).forEach(function (st, si) {
        if (st.label !== undefined) {
          if (labels[st.label] !== undefined) fail(at, "label " + st.label + " twice");
          labels[st.label] = si;
        }
      });
      var steps = (th.steps || []).map(function (st, si) {
        var where = at + ", step " + (si + 1);
        if (DOS.indexOf(st.do) < 0) fail(where, "unknown do: " + st.do);
        var c = { src: st, target: null, fn: null, cond: null };
        if (st.do === "run") {
          try {
            c.fn = new Function("s", "l", String(st.run || ""));
          } catch (e) {
            fail(where, "run does not compile: " + e.message);
          }
        }
        if (st.do === "jump") {
          if (labels[st.to] === undefined) fail(where, "no step has the label " + st.to);
          c.target = labels[st.to];
          if (st.if !== undefined) {
            try {
              c.cond = new Function("s", "l", "return (" + st.if + ");");
            } catch (e) {
              fail(where, "if does not compile: " + e.message);
            }
          }
        }
        if (["lock", "unlock", "wait", "relock"].indexOf(st.do) >= 0) {
          if (locks.indexOf(st.lock) < 0) fail(where, "unknown lock " + st.lock);
        }
        if (["wait", "notify_one", "notify_all"].indexOf(st.do) >= 0) {
          if (condvars.indexOf(st.condvar) < 0) fail(where, "unknown condvar " + st.condvar);
        }
        return c;
      });
      return { name: th.name, locals: th.locals || {}, steps: steps };
    });
    var goal;
    try {
      goal = new Function("s", "t", "done", "deadlock", "preemptions", "return (" + puzzle.goal_when + ");");
    } catch (e) {
      fail("puzzle " + puzzle.id, "goal_when does not compile: " + e.message);
    }
    return {
      name: name,
      v: v,
      shared: v.shared || {},
      locks: locks,
      condvars: condvars,
      threads: threads,
      goal: goal,
    };
  }

  /** One version of a puzzle, with its state and its history of clicks. */
  function Sim(puzzle, versionName) {
    this.puzzle = puzzle;
    this.version = versionName;
    this.c = compileVersion(puzzle, versionName);
    this.reset();
  }

  Sim.prototype.reset = function () {
    var c = this.c;
    var holders = {};
    c.locks.forEach(function (k) {
      holders[k] = null;
    });
    var sleepers = {};
    c.condvars.forEach(function (k) {
      sleepers[k] = [];
    });
    this.state = {
      s: clone(c.shared),
      threads: c.threads.map(function (th) {
        return { pc: 0, l: clone(th.locals), done: th.steps.length === 0, asleep: null };
      }),
      holders: holders,
      sleepers: sleepers,
    };
    this.history = []; // 1-based thread numbers
    this.trail = []; // per click: {thread (0-based), step (0-based), text, preempted}
    this.preemptions = 0; // how many clicks of the history were preemptions
    this.goalAt = -1; // the click (0-based) that first reached the goal
  };

  Sim.prototype.threadCount = function () {
    return this.c.threads.length;
  };

  Sim.prototype.names = function () {
    return this.c.threads.map(function (t) {
      return t.name;
    });
  };

  Sim.prototype.nextStep = function (i) {
    var th = this.state.threads[i];
    return th.done ? null : this.c.threads[i].steps[th.pc];
  };

  /** Why thread i (0-based) cannot take a step now, or null if it can. */
  Sim.prototype.blockedBy = function (i) {
    var th = this.state.threads[i];
    if (!th) return "there is no thread " + (i + 1);
    if (th.done) return this.c.threads[i].name + " has finished";
    var st = this.nextStep(i).src;
    var holder;
    if (st.do === "relock" && th.asleep !== null) {
      return (
        this.c.threads[i].name +
        " is asleep on " +
        th.asleep +
        ": it can take the lock back only after another thread notifies " +
        th.asleep
      );
    }
    if (st.do === "lock" || st.do === "relock") {
      holder = this.state.holders[st.lock];
      if (holder !== null) {
        return (
          this.c.threads[i].name +
          " is blocked on " +
          st.lock +
          ", held by " +
          (holder === i
            ? "itself (a Mutex is not reentrant)"
            : this.c.threads[holder].name + ": it must wait until " + this.c.threads[holder].name + " unlocks it")
        );
      }
    }
    return null;
  };

  Sim.prototype.canStep = function (i) {
    return this.blockedBy(i) === null;
  };

  /** running / blocked / asleep / done, with the lock or condvar. */
  Sim.prototype.threadState = function (i) {
    var th = this.state.threads[i];
    if (th.done) return { word: "done", on: null, text: "done" };
    var st = this.nextStep(i).src;
    if (st.do === "relock" && th.asleep !== null) {
      return { word: "asleep", on: th.asleep, text: "asleep on " + th.asleep };
    }
    if ((st.do === "lock" || st.do === "relock") && this.state.holders[st.lock] !== null) {
      return { word: "blocked", on: st.lock, text: "blocked on " + st.lock };
    }
    return { word: "running", on: null, text: "running" };
  };

  Sim.prototype.allDone = function () {
    return this.state.threads.every(function (t) {
      return t.done;
    });
  };

  Sim.prototype.deadlocked = function () {
    var self = this;
    if (this.allDone()) return false;
    return this.state.threads.every(function (t, i) {
      return !self.canStep(i);
    });
  };

  Sim.prototype.goalReached = function () {
    var self = this;
    var t = this.state.threads.map(function (th, i) {
      return {
        name: self.c.threads[i].name,
        l: th.l,
        done: th.done,
        blocked: !th.done && !self.canStep(i),
      };
    });
    try {
      return !!this.c.goal(this.state.s, t, this.allDone(), this.deadlocked(), this.preemptions);
    } catch (e) {
      return false;
    }
  };

  /**
   * The thread (0-based) that thread i's step would preempt now: the one
   * that took the last step, if it is another and could step itself. -1 when
   * a step by i would be no preemption.
   */
  Sim.prototype.wouldPreempt = function (i) {
    var last = this.trail.length ? this.trail[this.trail.length - 1].thread : -1;
    return last >= 0 && last !== i && this.canStep(last) ? last : -1;
  };

  /**
   * Thread i (0-based) takes its next step. Returns {ok, text, step, loom,
   * preempted}: ok false (and nothing changes) when it cannot step;
   * preempted, the thread this step preempted (0-based), or -1.
   */
  Sim.prototype.step = function (i) {
    var why = this.blockedBy(i);
    if (why !== null) return { ok: false, text: why };
    var preempted = this.wouldPreempt(i);
    var S = this.state;
    var th = S.threads[i];
    var name = this.c.threads[i].name;
    var at = th.pc;
    var c = this.c.threads[i].steps[at];
    var st = c.src;
    var next = at + 1;
    var text;
    var where = "puzzle " + this.puzzle.id + ", " + this.version + ", " + name + ", step " + (at + 1);
    switch (st.do) {
      case "run":
        try {
          c.fn(S.s, th.l);
        } catch (e) {
          fail(where, "run throws: " + e.message);
        }
        text = name + " runs " + collapse(st.code) + (st.note ? " (" + st.note + ")" : "");
        break;
      case "lock":
        S.holders[st.lock] = i;
        text = name + " locks " + st.lock;
        break;
      case "unlock":
        if (S.holders[st.lock] !== i) fail(where, "unlocks " + st.lock + ", which it does not hold");
        S.holders[st.lock] = null;
        text = name + " unlocks " + st.lock;
        break;
      case "jump": {
        var go = true;
        if (c.cond) {
          try {
            go = !!c.cond(S.s, th.l);
          } catch (e) {
            fail(where, "if throws: " + e.message);
          }
        }
        if (go) next = c.target;
        text = name + ": " + collapse(st.code) + " \u2192 step " + (next + 1);
        break;
      }
      case "wait":
        if (S.holders[st.lock] !== i) fail(where, "waits with " + st.lock + ", which it does not hold");
        S.holders[st.lock] = null;
        S.sleepers[st.condvar].push(i);
        th.asleep = st.condvar;
        text = name + " unlocks " + st.lock + " and falls asleep on " + st.condvar;
        break;
      case "relock":
        S.holders[st.lock] = i;
        text = name + " wakes up and locks " + st.lock;
        break;
      case "notify_one": {
        var q = S.sleepers[st.condvar];
        var woken = q.shift();
        if (woken !== undefined) {
          S.threads[woken].asleep = null;
          text =
            name +
            " wakes " +
            this.c.threads[woken].name +
            ", the one asleep longest (std does not say which one wakes)";
        } else {
          text = name + " notifies " + st.condvar + ": nobody is asleep, nobody wakes";
        }
        break;
      }
      case "notify_all": {
        var all = S.sleepers[st.condvar];
        var self = this;
        var names = all.map(function (k) {
          S.threads[k].asleep = null;
          return self.c.threads[k].name;
        });
        S.sleepers[st.condvar] = [];
        text =
          name +
          (names.length
            ? " wakes " + names.join(" and ")
            : " notifies " + st.condvar + ": nobody is asleep, nobody wakes");
        break;
      }
    }
    th.pc = next;
    if (th.pc >= this.c.threads[i].steps.length) {
      th.done = true;
      text += "; " + name + " is done";
    }
    if (preempted >= 0) this.preemptions += 1;
    this.history.push(i + 1);
    this.trail.push({ thread: i, step: at, text: text, preempted: preempted });
    if (this.goalAt < 0 && this.goalReached()) this.goalAt = this.history.length - 1;
    return { ok: true, text: text, step: at, loom: !!st.loom, preempted: preempted };
  };

  /**
   * Starts again and replays these clicks (1-based thread numbers). Stops at
   * the first click that cannot be taken; returns how many were taken.
   */
  Sim.prototype.load = function (history) {
    this.reset();
    for (var k = 0; k < history.length; k++) {
      var n = history[k];
      if (typeof n !== "number" || n < 1 || n > this.threadCount()) return k;
      if (!this.step(n - 1).ok) return k;
    }
    return history.length;
  };

  /** Takes back the last click. */
  Sim.prototype.undo = function () {
    var h = this.history.slice(0, -1);
    this.load(h);
    return h.length;
  };

  /** loom's printed execution: [{n, label, text}]. */
  function parseLoom(text) {
    var lines = String(text || "").split(/\r?\n/);
    var events = [];
    var on = false;
    for (var k = 0; k < lines.length; k++) {
      var line = lines[k];
      if (!on) {
        if (line.indexOf("The execution, step by step:") >= 0) on = true;
        continue;
      }
      if (/^\s*Then/.test(line)) break;
      var m = /^\s*(\d+)\.\s+(\S+)\s+(.*)$/.exec(line);
      if (m) events.push({ n: Number(m[1]), label: m[2], text: m[3] });
    }
    return events;
  }

  /**
   * Replays loom's events on a fresh state of sim. Returns
   * {status: "done"|"blocked", marks: [{event, thread, step}], stoppedAt
   * (index of the event that could not happen, or -1), reason, goal,
   * preemptions (taken by the steps replayed)}.
   */
  function replay(sim, events) {
    sim.reset();
    var marks = [];
    var names = sim.names();
    for (var k = 0; k < events.length; k++) {
      var ev = events[k];
      var i = names.indexOf(ev.label);
      var reason = null;
      if (i < 0) {
        reason = "there is no thread " + ev.label + " in this version";
      } else {
        for (var guard = 0; ; guard++) {
          if (guard > 10000) {
            reason = ev.label + " never reaches a step that loom records";
            break;
          }
          var r = sim.step(i);
          if (!r.ok) {
            reason = r.text;
            break;
          }
          if (r.loom) {
            marks.push({ event: k, thread: i, step: r.step });
            break;
          }
        }
      }
      if (reason !== null) {
        return {
          status: "blocked",
          marks: marks,
          stoppedAt: k,
          reason: reason,
          goal: sim.goalReached(),
          preemptions: sim.preemptions,
        };
      }
    }
    return {
      status: "done",
      marks: marks,
      stoppedAt: -1,
      reason: null,
      goal: sim.goalReached(),
      preemptions: sim.preemptions,
    };
  }

  var SchedEngine = {
    Sim: Sim,
    parseLoom: parseLoom,
    replay: replay,
    collapse: collapse,
    versions: ["broken", "fixed"],
  };

  if (typeof module !== "undefined" && module.exports) module.exports = SchedEngine;
  if (typeof window !== "undefined") window.SchedEngine = SchedEngine;
})(this);
