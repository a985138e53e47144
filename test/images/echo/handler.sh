#!/bin/sh
# One HTTP exchange per connection, run by `nc -ll -p 8080 -e /bin/handler`: read the request
# head, answer as gcr.io/google-samples/hello-app does (seeds 001/004), so Service balancing shows
# in the Hostname line. VERSION (env) changes the Version line, for rollout tests.
cr=$(printf '\r')
read -r method path proto
while read -r line; do
  if [ -z "$line" ] || [ "$line" = "$cr" ]; then break; fi
done
body="Hello, world!
Version: ${VERSION:-1.0.0}
Hostname: $(hostname)
"
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "${#body}" "$body"
