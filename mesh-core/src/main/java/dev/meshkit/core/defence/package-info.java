/**
 * Defences against hostile peers: bounded rate limits with escalation to timed bans.
 */
package dev.meshkit.core.defence;
