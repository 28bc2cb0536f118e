"""`heel-coach screens`: above both screens/ and voice/, as it needs the locale's wording."""
