// One search, one step back. A search box sends its words when typing pauses, on Enter and on change, so the same
// search can come back two or three times; each would push the same address onto the tab's history, and Back would
// seem to do nothing. A push of the address already shown becomes a replace.
document.addEventListener("htmx:beforeHistoryUpdate", (event) => {
  const history = event.detail.history;
  if (history.type === "push" && new URL(history.path, window.location.href).href === window.location.href) {
    history.type = "replace";
  }
});
