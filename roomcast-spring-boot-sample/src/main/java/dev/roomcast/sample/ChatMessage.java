package dev.roomcast.sample;

/**
 * What the chat sends into a room, as the {@code content} of roomcast frames: {@code {"user":
 * "alice", "text": "hi"}}. {@code user} is the signed-in user's name, or {@code guest}.
 */
record ChatMessage(String user, String text) {}
