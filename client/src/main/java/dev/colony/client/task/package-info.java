/**
 * What code that runs tasks (the worker) needs from the client, and nothing of its internals: how a
 * task's argument and result travel on the protocol.
 */
package dev.colony.client.task;
