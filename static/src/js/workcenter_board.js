odoo.define('shopfloor_mes.workcenter_board', function (require) {
"use strict";
/**
 * The work center board refreshes itself: supervisors watch it, they do not click reload.
 * "Wall screen" (kiosk mode) hides Odoo's menus and the search bar, enlarges the cards and asks
 * the browser for full screen; "Leave wall screen" (or Esc, or the action's context
 * {'mes_kiosk': true} the other way in) brings them back.
 */
var KanbanController = require('web.KanbanController');
var KanbanView = require('web.KanbanView');
var viewRegistry = require('web.view_registry');

var REFRESH_MS = 10000;

var KIOSK_CLASS = 'o_mes_kiosk';

var BoardController = KanbanController.extend({
    start: function () {
        var self = this;
        this._mesTimer = setInterval(function () {
            if (self.$el && self.$el.is(':visible')) {
                self.reload();
            }
        }, REFRESH_MS);
        this._mesOnKey = function (ev) {
            if (ev.key === 'Escape' && $('body').hasClass(KIOSK_CLASS)) {
                self._mesLeaveKiosk();
            }
        };
        $(document).on('keydown', this._mesOnKey);
        return this._super.apply(this, arguments).then(function () {
            var state = self.model.get(self.handle);
            var context = (state && state.getContext && state.getContext()) ||
                (self.initialState && self.initialState.context) || {};
            if (context.mes_kiosk) {
                self._mesEnterKiosk();
            }
        });
    },
    destroy: function () {
        clearInterval(this._mesTimer);
        $(document).off('keydown', this._mesOnKey);
        this._mesLeaveKiosk();
        this._super.apply(this, arguments);
    },
    renderButtons: function ($node) {
        this._super.apply(this, arguments);
        var $kiosk = $('<button type="button" class="btn btn-default btn-sm o_mes_kiosk_enter">Wall screen</button>')
            .on('click', this._mesEnterKiosk.bind(this));
        if (this.$buttons) {
            this.$buttons.append($kiosk);
        } else {    // the board has no Create button, so Odoo rendered no button bar
            this.$buttons = $('<div/>').append($kiosk);
            if ($node) {
                this.$buttons.appendTo($node);
            }
        }
    },
    _mesEnterKiosk: function () {
        $('body').addClass(KIOSK_CLASS);
        if (!this.$('.o_mes_kiosk_leave').length) {
            $('<button type="button" class="btn btn-default btn-xs o_mes_kiosk_leave">Leave wall screen</button>')
                .on('click', this._mesLeaveKiosk.bind(this))
                .prependTo(this.$el);
        }
        var root = document.documentElement;
        if (root.requestFullscreen && !document.fullscreenElement) {
            var asked = root.requestFullscreen();
            if (asked && asked.catch) {
                asked.catch(function () {});   // refused without a user gesture: the page is still a wall screen
            }
        }
    },
    _mesLeaveKiosk: function () {
        $('body').removeClass(KIOSK_CLASS);
        if (this.$el) {
            this.$('.o_mes_kiosk_leave').remove();
        }
        if (document.fullscreenElement && document.exitFullscreen) {
            document.exitFullscreen().catch(function () {});
        }
    },
});

var BoardView = KanbanView.extend({
    config: _.extend({}, KanbanView.prototype.config, {Controller: BoardController}),
});

viewRegistry.add('mes_workcenter_board', BoardView);
return {BoardController: BoardController, BoardView: BoardView};
});
