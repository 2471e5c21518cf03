// The WhatsApp channel (issue 3) is being built.
export {};
