odoo.define('shopfloor_mes.workcenter_board', function (require) {
"use strict";
/**
 * The work center board refreshes itself: supervisors watch it, they do not click reload.
 */
var KanbanController = require('web.KanbanController');
var KanbanView = require('web.KanbanView');
var viewRegistry = require('web.view_registry');

var REFRESH_MS = 10000;

var BoardController = KanbanController.extend({
    start: function () {
        var self = this;
        this._mesTimer = setInterval(function () {
            if (self.$el && self.$el.is(':visible')) {
                self.reload();
            }
        }, REFRESH_MS);
        return this._super.apply(this, arguments);
    },
    destroy: function () {
        clearInterval(this._mesTimer);
        this._super.apply(this, arguments);
    },
});

var BoardView = KanbanView.extend({
    config: _.extend({}, KanbanView.prototype.config, {Controller: BoardController}),
});

viewRegistry.add('mes_workcenter_board', BoardView);
return {BoardController: BoardController, BoardView: BoardView};
});
