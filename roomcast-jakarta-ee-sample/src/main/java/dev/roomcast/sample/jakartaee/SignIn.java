package dev.roomcast.sample.jakartaee;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Map;
import java.util.Set;

/**
 * Jakarta Security for the sample: guests chat anonymously, and two users may sign in with HTTP
 * Basic on any request, the WebSocket handshake included ({@code Authorization: Basic ...}). The
 * server then hands roomcast the signed-in principal, which becomes the connection's identity (see
 * {@link Announcements}). A sample's users, in memory: a real application plugs in its own identity
 * store (database, LDAP, OpenID Connect) and changes nothing else.
 */
@BasicAuthenticationMechanismDefinition(realmName = "roomcast-sample")
@ApplicationScoped
public class SignIn implements IdentityStore {
  private static final Map<String, String> USERS = Map.of("alice", "wonderland", "bob", "builder");

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String password = USERS.get(credential.getCaller());
    if (password != null && credential.compareTo(credential.getCaller(), password)) {
      return new CredentialValidationResult(credential.getCaller(), Set.of("chat"));
    }
    return CredentialValidationResult.INVALID_RESULT;
  }
}
