package images

import (
	"container/list"
	"sync"
)

// entryOverhead approximates the memory of a cache entry besides its bytes
// and strings: list element, map slot, Image struct.
const entryOverhead = 256

// lru is a least-recently-used cache of images bounded by their total cost
// in bytes. A zero bound disables it.
type lru struct {
	mu    sync.Mutex
	limit int64
	used  int64
	order *list.List // of *entry, most recently used first
	items map[string]*list.Element
}

type entry struct {
	key  string
	img  *Image
	cost int64
}

func newLRU(limit int64) *lru {
	return &lru{limit: limit, order: list.New(), items: make(map[string]*list.Element)}
}

func cost(key string, img *Image) int64 {
	return int64(len(key)+len(img.Body)+len(img.ContentType)+len(img.ETag)+len(img.SourceHash)) + entryOverhead
}

func (c *lru) get(key string) (*Image, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry).img, true
}

// add stores img under key, evicting the least recently used entries until
// the total fits. An image larger than the whole cache is not stored.
func (c *lru) add(key string, img *Image) {
	n := cost(key, img)
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > c.limit {
		return
	}
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	for c.used+n > c.limit {
		c.remove(c.order.Back())
	}
	c.items[key] = c.order.PushFront(&entry{key: key, img: img, cost: n})
	c.used += n
}

func (c *lru) remove(el *list.Element) {
	e := c.order.Remove(el).(*entry)
	delete(c.items, e.key)
	c.used -= e.cost
}

func (c *lru) size() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.used
}
