/** Implementation of the roomcast auto-configuration. Not API: may change in any release. */
package dev.roomcast.spring.boot.autoconfigure.internal;
