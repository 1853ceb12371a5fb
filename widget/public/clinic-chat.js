/*
 * The clinic's chat widget loader: one <script> tag on any page of the clinic's website.
 *   <script>window.ClinicChatConfig = { server: "https://chat.your-clinic.example" };</script>
 *   <script src="https://widget.your-clinic.example/clinic-chat.js" async></script>
 * It loads rasa-webchat (served from the same place as this file, never a CDN) and the
 * clinic's look from widget-config.json, then starts the widget on Rasa's socket.io channel.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/\/[^\/]*$/, "") : "";
  var options = window.ClinicChatConfig || {};

  function load(src, done) {
    var tag = document.createElement("script");
    tag.src = src;
    tag.async = true;
    tag.onload = done;
    document.head.appendChild(tag);
  }

  // rasa-webchat renders no labels; screen readers and keyboard users need them.
  var LABELS = [
    [".rw-launcher", "aria-label", function (el) {
      return el.classList.contains("rw-hide-sm") || document.querySelector(".rw-conversation-container")
        ? "Close chat" : "Open chat with the clinic assistant";
    }],
    [".rw-new-message", "aria-label", function () { return "Type your message"; }],
    [".rw-send", "aria-label", function () { return "Send message"; }],
    [".rw-close-button", "aria-label", function () { return "Close chat"; }],
    [".rw-messages-container", "aria-live", function () { return "polite"; }],
  ];

  function label(config) {
    LABELS.forEach(function (rule) {
      document.querySelectorAll(rule[0]).forEach(function (el) {
        var value = rule[2](el);
        if (el.getAttribute(rule[1]) !== value) el.setAttribute(rule[1], value);
      });
    });
    var input = document.querySelector(".rw-new-message");
    if (input && !input.dataset.clinicLimit) {
      input.dataset.clinicLimit = "1";
      input.setAttribute("maxlength", String(config.maxMessageLength));
      guardLength(input, config);
    }
  }

  // Over-long messages are refused before sending, with a visible reason. The rule is the
  // server's (WidgetSettings.allows in clinic/settings.py): a message of exactly
  // maxMessageLength characters is allowed; text that would make it longer is refused.
  function guardLength(input, config) {
    var notice = document.createElement("div");
    notice.className = "clinic-chat-notice";
    notice.setAttribute("role", "alert");
    notice.hidden = true;
    input.parentNode.insertBefore(notice, input.parentNode.firstChild);
    function show(tooLong) {
      notice.textContent = tooLong ? config.tooLongText : "";
      notice.hidden = !tooLong;
    }
    function lengthWith(added) {
      var selected = (input.selectionEnd || 0) - (input.selectionStart || 0);
      return input.value.length - selected + added.length;
    }
    // Typed or inserted text (the maxlength attribute would silently drop it): say why.
    input.addEventListener("beforeinput", function (event) {
      if (event.data && lengthWith(event.data) > config.maxMessageLength) {
        event.preventDefault();
        show(true);
      }
    });
    input.addEventListener("paste", function (event) {
      var pasted = (event.clipboardData || window.clipboardData).getData("text") || "";
      if (lengthWith(pasted) > config.maxMessageLength) {
        event.preventDefault();
        show(true);
      }
    });
    input.addEventListener("input", function () { show(input.value.length > config.maxMessageLength); });
  }

  // Shown in the widget while the assistant cannot be reached, so the visitor is not left waiting.
  function connectionStatus(config) {
    var banner = document.createElement("div");
    banner.className = "clinic-chat-offline";
    banner.setAttribute("role", "alert");
    banner.hidden = true;
    banner.textContent = config.offlineText;
    document.body.appendChild(banner);
    return {
      connect: function () { banner.hidden = true; },
      connect_error: function () { banner.hidden = false; },
      disconnect: function () { banner.hidden = false; },
    };
  }

  function start(config) {
    var server = options.server || config.server;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "/clinic-chat.css";
    document.head.appendChild(css);
    window.WebChat.default({
      onSocketEvent: connectionStatus(config),
      socketUrl: server,
      socketPath: "/socket.io/",
      initPayload: "/greet",
      customData: { language: "en" },
      title: config.title,
      subtitle: config.subtitle,
      profileAvatar: base + "/" + config.avatar,
      mainColor: config.primaryColor,
      userBackgroundColor: config.primaryColor,
      userTextColor: "#ffffff",
      inputTextFieldHint: "Type your question…",
      connectingText: config.offlineText,
      hideWhenNotConnected: false,
      showMessageDate: false,
      customMessageDelay: function () { return 120; },
      // Per tab, gone when it closes: the next person on a shared computer does not see the transcript.
      params: { storage: "session" },
    }, null);
    new MutationObserver(function () { label(config); }).observe(document.body, { childList: true, subtree: true });
    label(config);
  }

  var configRequest = fetch(base + "/widget-config.json").then(function (r) { return r.json(); });
  load(base + "/vendor/webchat.js", function () { configRequest.then(start); });
})();
