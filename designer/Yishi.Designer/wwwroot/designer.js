// Small browser helpers of the designer: signing in with a cookie, and saving a file the user asked for.

/** Signs in with a cookie; answers the HTTP status (200 signed in, 401 wrong name or password, 429 too many tries). */
export async function signIn(userName, password) {
  const response = await fetch("api/auth/login?useCookies=true", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userName, password }),
  });
  return response.status;
}

/** Offers text as a file download (an exported definition). */
export function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** Remembers the chosen language for a year, for the next page load and for the resident portal. */
export function rememberLocale(cookieName, locale) {
  document.cookie = `${cookieName}=${locale}; path=/; max-age=31536000; samesite=strict`;
}
