package gyazo

// thumbBox is the box thumbnails fit in; Gyazo's documented thumb_url
// is https://i.gyazo.com/thumb/180/…, so 180 pixels.
const thumbBox = 180
