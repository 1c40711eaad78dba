#!/usr/bin/python3
"""dash_browser.py -- procd's dashboard in a real browser (headless
Chromium driven by Selenium), for t_dashboard.sh.

    dash_browser.py URL USER PASS PROCCTL SOCKET PROCD_PID

URL is the dashboard's (http://127.0.0.1:PORT/).  Every wait has a
deadline (WebDriverWait); a failure exits 1 with what was seen.  The
steps, each checked against procctl:
  1. the page shows every program with procctl's state;
  2. Stop on "web" (confirm accepted) -> STOPPED in the page and in procctl;
  3. the log view of "talker" shows a line it writes afterwards;
  4. a cross-site form POST from another origin is refused (403) and
     stops nothing;
  5. kill -9 of the gateway: the page reconnects by itself, shows a
     later state change, and its buttons act again (a new gateway has a
     new token).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import (NoSuchElementException,
                                        StaleElementReferenceException)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SLOW = int(os.environ.get("PROCD_TEST_SLOW", "1"))


def fail(msg, driver=None):
    print("FAIL:", msg, file=sys.stderr)
    if driver is not None:
        try:
            print("page text:", driver.find_element(By.TAG_NAME, "body").text[:2000],
                  file=sys.stderr)
            for e in driver.get_log("browser")[-10:]:
                print("console:", e, file=sys.stderr)
        except Exception:  # the browser may be what broke
            pass
    sys.exit(1)


def browser(tmp, width=1280, height=800):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
              "--disable-gpu", "--window-size=%d,%d" % (width, height),
              "--user-data-dir=" + os.path.join(tmp, "chromium")):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=opts)


def ctl_states(procctl, sock):
    out = subprocess.run([procctl, "-s", sock, "--json", "status"],
                         capture_output=True, text=True).stdout
    return {r["name"]: r["state"] for r in json.loads(out)}


def row_state(driver, name):
    for tr in driver.find_elements(By.CSS_SELECTOR, "#procs tbody tr[data-name]"):
        if tr.get_attribute("data-name") == name:
            return tr.get_attribute("data-state")
    return None


def wait(driver, secs, what, cond):
    # An element of a page being replaced goes stale: look again.
    try:
        return WebDriverWait(driver, secs * SLOW, poll_frequency=0.05,
                             ignored_exceptions=(
                                 StaleElementReferenceException,
                                 NoSuchElementException)).until(
            lambda d: cond(d))
    except Exception:
        fail("timed out after %ds waiting for: %s" % (secs * SLOW, what), driver)


def row_button(driver, name, op):
    sel = "#procs tbody tr[data-name] button[data-op=%s]" % op
    for b in driver.find_elements(By.CSS_SELECTOR, sel):
        if b.get_attribute("data-target") == name:
            return b
    fail("no %s button for %s" % (op, name), driver)


def gateway_pid(procd_pid):
    for task in os.listdir("/proc/%d/task" % procd_pid):
        with open("/proc/%d/task/%s/children" % (procd_pid, task)) as f:
            for c in f.read().split():
                try:
                    with open("/proc/%s/cmdline" % c, "rb") as g:
                        if b"__gateway" in g.read():
                            return int(c)
                except OSError:
                    pass
    return None


def screenshot(url, out, width=1280, height=800):
    """dash_browser.py --screenshot URL OUT [WIDTH HEIGHT]: the page as a
    browser with a WIDTHxHEIGHT viewport (1280x800) shows it, once live
    (README's picture)."""
    tmp = tempfile.mkdtemp(prefix="dash-shot.")
    driver = browser(tmp)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": width < 600})
        driver.get(url)
        wait(driver, 10, "the live stream", lambda d: d.find_element(
            By.ID, "conn").text == "live")
        driver.save_screenshot(out)
    finally:
        driver.quit()


def main():
    if sys.argv[1] == "--screenshot":
        return screenshot(sys.argv[2], sys.argv[3],
                          *[int(x) for x in sys.argv[4:6]])
    url, user, pw, procctl, sock, procd_pid = sys.argv[1:7]
    procd_pid = int(procd_pid)
    p = urllib.parse.urlsplit(url)
    authed = "%s://%s:%s@%s/" % (p.scheme, user, pw, p.netloc)
    tmp = tempfile.mkdtemp(prefix="dash-browser.", dir=os.environ.get("T"))
    driver = browser(tmp)
    try:
        run(driver, url, authed, procctl, sock, procd_pid)
    finally:
        driver.quit()


def run(driver, url, authed, procctl, sock, procd_pid):
    # 1. Every program, with procctl's state, once the stream is live.
    driver.get(authed)
    wait(driver, 10, "the live stream", lambda d: d.find_element(
        By.ID, "conn").text == "live")
    want = ctl_states(procctl, sock)
    wait(driver, 10, "every program with procctl's state (%s)" % want,
         lambda d: all(row_state(d, n) == s for n, s in
                       ctl_states(procctl, sock).items()))
    print("ok: the page shows", len(want), "programs with their states")

    # The filter box, from the keyboard: its label names it.
    box = driver.find_element(By.CSS_SELECTOR, "label[for=filter]")
    box.click()         # a label moves focus to its field
    active = driver.switch_to.active_element
    if active.get_attribute("id") != "filter":
        fail("the label does not focus the filter box", driver)
    active.send_keys("talk")
    wait(driver, 5, "only talker left by the filter", lambda d: [
        tr.get_attribute("data-name") for tr in d.find_elements(
            By.CSS_SELECTOR, "#procs tbody tr[data-name]")
        if tr.is_displayed()] == ["talker"])
    active.clear()
    active.send_keys(" ")   # an input event: everything shown again
    wait(driver, 5, "every row back", lambda d: len([
        tr for tr in d.find_elements(By.CSS_SELECTOR,
                                     "#procs tbody tr[data-name]")
        if tr.is_displayed()]) == len(want))
    print("ok: the filter box narrows the table")

    # Phone width: each process a card, the table's heading row hidden.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1,
        "mobile": True})
    wait(driver, 5, "the phone layout", lambda d: not d.find_element(
        By.CSS_SELECTOR, "#procs thead").is_displayed())
    b = row_button(driver, "web", "stop")
    if not b.is_displayed() or b.size["width"] == 0 or \
            b.location["x"] + b.size["width"] > 390:
        fail("Stop is not on screen at phone width", driver)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print("ok: at phone width the rows are cards with their buttons")

    # 2. Stop web: confirm, then STOPPED in the page and in procctl.
    row_button(driver, "web", "stop").click()
    WebDriverWait(driver, 5 * SLOW).until(EC.alert_is_present())
    driver.switch_to.alert.accept()
    wait(driver, 15, "web STOPPED in the page",
         lambda d: row_state(d, "web") == "STOPPED")
    if ctl_states(procctl, sock).get("web") != "STOPPED":
        fail("procctl does not see web STOPPED", driver)
    print("ok: Stop (confirmed) stopped web, as procctl says")

    # 3. The log view follows talker: a line written after it opened.
    for a in driver.find_elements(By.CSS_SELECTOR, "#procs a.log"):
        if a.get_attribute("data-name") == "talker":
            a.click()
            break
    else:
        fail("no log link for talker", driver)
    wait(driver, 10, "talker's first line in the log view",
         lambda d: "talker is up" in d.find_element(By.ID, "logtext").text)
    subprocess.run([procctl, "-s", sock, "signal", "USR1", "talker"],
                   check=True, capture_output=True)
    wait(driver, 10, "the line talker wrote afterwards",
         lambda d: "poked" in d.find_element(By.ID, "logtext").text)
    print("ok: the log view shows a line written after it opened")

    # 4. A form on another origin POSTs to the dashboard, no token.
    other = "data:text/html,<form method=post action='%sdash/act/stop/other'>" \
        "<button id=go>go</button></form>" % url
    driver.get(other)
    driver.find_element(By.ID, "go").click()
    wait(driver, 10, "the 403 page", lambda d: "403" in d.find_element(
        By.TAG_NAME, "body").text)
    if ctl_states(procctl, sock).get("other") != "RUNNING":
        fail("the cross-site POST changed other's state", driver)
    print("ok: a cross-site POST was refused (403) and changed nothing")

    # 5. kill -9 the gateway: the page comes back by itself.
    driver.get(authed)
    wait(driver, 10, "the live stream", lambda d: d.find_element(
        By.ID, "conn").text == "live")
    g = gateway_pid(procd_pid)
    if g is None:
        fail("no gateway process")
    os.kill(g, signal.SIGKILL)
    wait(driver, 10, "the page to see the stream lost",
         lambda d: "reconnecting" in d.find_element(By.ID, "conn").text)
    wait(driver, 20, "the page to reconnect", lambda d: d.find_element(
        By.ID, "conn").text == "live")
    g2 = gateway_pid(procd_pid)
    if g2 is None or g2 == g:
        fail("the gateway was not restarted")
    subprocess.run([procctl, "-s", sock, "stop", "other"], check=True,
                   capture_output=True)
    wait(driver, 15, "other STOPPED in the page after the reconnect",
         lambda d: row_state(d, "other") == "STOPPED")
    # The new gateway has a new token, which came with the new stream:
    # the page's buttons still act.
    row_button(driver, "web", "start").click()
    wait(driver, 15, "web RUNNING again, started from the page",
         lambda d: row_state(d, "web") == "RUNNING")
    if ctl_states(procctl, sock).get("web") != "RUNNING":
        fail("procctl does not see web RUNNING", driver)
    print("ok: after kill -9 of the gateway the page reconnected and "
          "showed a later change")


if __name__ == "__main__":
    main()
