// The mini-program's entry. Payment lives on pages/pay/index; nothing app-wide is needed.
App({});
